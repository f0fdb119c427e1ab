"""Session materials: the cohort's lecturers and the secretariat add links and files (checked
like teaching resources, stored outside MEDIA_ROOT); only the cohort's trainees and lecturers
and the secretariat download the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import ServiceError
from qiao.training import services
from qiao.training.models import Material, Session

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# (persona, may add and remove, may download)
PERSONAS = [
    ("anon_client", None, None),
    ("outsider_client", False, False),
    ("applicant_client", False, False),
    ("trainee_client", False, True),
    ("lecturer_client", True, True),
    ("other_lecturer_client", True, True),  # same cohort, not this session
    ("foreign_lecturer_client", False, False),
    ("secretariat_client", True, True),
]


def _client(request: pytest.FixtureRequest, persona: str) -> Client:
    for who in ("lecturer", "other_lecturer", "foreign_lecturer", "trainee", "applicant"):
        request.getfixturevalue(who)
    client: Client = request.getfixturevalue(persona)
    return client


def _pdf(name: str = "Стандарты 标准.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(("persona", "may_manage", "_download"), PERSONAS)
def test_add_link_and_file(
    request: pytest.FixtureRequest,
    persona: str,
    may_manage: bool | None,
    _download: bool | None,
    past_session: Session,
) -> None:
    client = _client(request, persona)
    url = reverse("training:material-add", args=[past_session.pk])
    link = client.post(
        url, {"title": "Чек-лист", "language": "ru", "url": "https://example.org/list"}
    )
    upload = client.post(url, {"title": "Слайды", "language": "ru", "file": _pdf()})
    expected = 302 if may_manage is None else (302 if may_manage else 403)
    assert (link.status_code, upload.status_code) == (expected, expected)
    added = Material.objects.filter(session=past_session).exclude(title="Slides")
    if not may_manage:
        assert not added.exists()
        return
    by_title = {m.title: m for m in added}
    assert by_title["Чек-лист"].url == "https://example.org/list"
    stored = by_title["Слайды"]
    assert (stored.file_name, stored.content_type, stored.size) == (
        "Стандарты 标准.pdf",
        "application/pdf",
        len(PDF),
    )
    # A random stored name, outside MEDIA_ROOT.
    path = Path(stored.file.path)
    assert path.is_relative_to(settings.QIAO_PRIVATE_MEDIA_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert "Стандарты" not in path.name and path.suffix == ".pdf"


@pytest.mark.parametrize(("persona", "_manage", "may_download"), PERSONAS)
def test_download(
    request: pytest.FixtureRequest,
    persona: str,
    _manage: bool | None,
    may_download: bool | None,
    past_session: Session,
    secretariat: User,
) -> None:
    material = services.material_add(
        actor=secretariat, session=past_session, title="Slides", language="en", upload=_pdf()
    )
    client = _client(request, persona)
    response = client.get(reverse("training:material", args=[material.pk]))
    expected = 302 if may_download is None else (200 if may_download else 403)
    assert response.status_code == expected
    if may_download:
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(("persona", "may_manage", "_download"), PERSONAS)
def test_remove(
    request: pytest.FixtureRequest,
    persona: str,
    may_manage: bool | None,
    _download: bool | None,
    past_session: Session,
    secretariat: User,
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    material = services.material_add(
        actor=secretariat, session=past_session, title="Slides", language="en", upload=_pdf()
    )
    path = Path(material.file.path)
    client = _client(request, persona)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reverse("training:material-remove", args=[material.pk]))
    expected = 302 if may_manage is None else (302 if may_manage else 403)
    assert response.status_code == expected
    assert Material.objects.filter(pk=material.pk).exists() is not bool(may_manage)
    assert path.exists() is not bool(may_manage)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00"),  # not an accepted type
        ("slides.pdf", b"MZ\x90\x00 renamed executable"),  # content does not match
        ("empty.pdf", b""),
    ],
)
def test_file_checks(past_session: Session, lecturer: User, name: str, content: bytes) -> None:
    with pytest.raises(ServiceError):
        services.material_add(
            actor=lecturer,
            session=past_session,
            title="x",
            language="en",
            upload=_pdf(name, content),
        )
    assert not Material.objects.filter(title="x").exists()


def test_size_limit(past_session: Session, lecturer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "MAX_RESOURCE_BYTES", 10)
    with pytest.raises(ServiceError, match="limit"):
        services.material_add(
            actor=lecturer, session=past_session, title="x", language="en", upload=_pdf()
        )


def test_link_or_file_not_both(past_session: Session, lecturer: User) -> None:
    for kwargs in ({}, {"url": "https://example.org/a", "upload": _pdf()}, {"url": "ftp://x"}):
        with pytest.raises(ServiceError):
            services.material_add(
                actor=lecturer,
                session=past_session,
                title="x",
                language="en",
                **kwargs,
            )


def test_rejected_upload_shows_the_reason(lecturer_client: Client, past_session: Session) -> None:
    response = lecturer_client.post(
        reverse("training:material-add", args=[past_session.pk]),
        {"title": "x", "language": "en", "file": _pdf("tool.exe", b"MZ")},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert not Material.objects.filter(title="x").exists()
    assert any("tool.exe" in str(m) for m in response.context["messages"])


def test_session_page_shows_the_form_to_managers_only(
    lecturer_client: Client, trainee_client: Client, past_session: Session
) -> None:
    url = reverse("training:session", args=[past_session.pk])
    assert b'data-testid="material-form"' in lecturer_client.get(url).content
    assert b'data-testid="material-form"' not in trainee_client.get(url).content
