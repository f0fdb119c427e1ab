"""The public application form: anyone may apply; bad input is refused with a clear,
translated message and writes nothing (no row, no file, no e-mail)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.alliance.models import (
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    MembershipApplication,
    Specialty,
)
from qiao.alliance.tests.conftest import form_post, pdf

pytestmark = pytest.mark.django_db

URL = reverse("alliance:apply")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "alliance"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "persona",
    ["anon_client", "student_client", "cn_rep_client", "ru_rep_client", "secretariat_client"],
)
def test_everyone_may_open_the_form(request: pytest.FixtureRequest, persona: str) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 200


def test_submitting_records_the_application_and_e_mails_in_the_chosen_language(
    anon_client: Client,
    secretariat: User,
    specialty: Specialty,
    django_capture_on_commit_callbacks: Any,
) -> None:
    secretariat.email = "office@alliance.example"
    secretariat.preferred_language = "ru"
    secretariat.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_client.post(URL, form_post(specialty))
    application = MembershipApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("alliance:application-status", args=[application.token])
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.region == "CN-HL"
    assert list(application.specialties.all()) == [specialty]
    document = application.documents.get()
    assert (document.kind, document.original_name, document.content_type) == (
        "registration",
        "certificate.pdf",
        "application/pdf",
    )
    # The stored name is never the uploaded one.
    assert "certificate" not in str(document.file.name)
    assert ApplicationEvent.objects.filter(application=application, to_status="submitted").exists()
    to_applicant, to_secretariat = mail.outbox
    assert to_applicant.to == ["wang@college.example"]
    assert "已收到" in to_applicant.subject  # the applicant chose Chinese
    assert str(application.token) in to_applicant.body
    assert to_secretariat.to == ["office@alliance.example"]
    assert "Новая заявка" in to_secretariat.subject  # the secretariat reads Russian


def _assert_nothing_written() -> None:
    assert not MembershipApplication.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert not _media_files()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name_zh": "", "name_en": ""}, None, "name in at least one language"),
        ({"registration": None}, "registration", "This field is required"),
        (
            {"registration": SimpleUploadedFile("cert.exe", b"MZ\x90\x00")},
            "registration",
            "not an accepted file type",
        ),
        (
            {"registration": SimpleUploadedFile("cert.pdf", b"MZ\x90\x00")},
            "registration",
            "not a real PDF file",
        ),
        ({"letter": SimpleUploadedFile("l.png", b"%PDF-1.4")}, "letter", "not a real PNG"),
        ({"region": "RU-KHA"}, "region", "not in the chosen country"),
        ({"region": ""}, "region", "Choose the province"),
        ({"rep_email": "not-an-address"}, "rep_email", "valid email"),
        ({"rep_phone": "call me"}, "rep_phone", "Enter a telephone number"),
        ({"consent": None}, "consent", "This field is required"),
        ({"kind": "spaceship"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    anon_client: Client, overrides: dict[str, Any], field: str | None, message: str
) -> None:
    response = anon_client.post(URL, form_post(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(message in error for error in errors), form.errors
    _assert_nothing_written()


def test_errors_are_translated(anon_client: Client) -> None:
    anon_client.cookies["django_language"] = "ru"
    response = anon_client.post(
        URL, form_post(registration=SimpleUploadedFile("cert.pdf", b"MZ\x90\x00"))
    )
    assert "не является настоящим файлом PDF" in response.content.decode()
    _assert_nothing_written()


def test_documents_are_checked_before_anything_is_written(specialty: Specialty) -> None:
    from django.core.exceptions import ValidationError

    from qiao.alliance import services
    from qiao.alliance.tests.conftest import application_data

    with pytest.raises(ValidationError):
        services.application_submit(
            data=application_data(),
            uploads=[
                services.Upload(kind="registration", file=pdf()),
                services.Upload(kind="other", file=SimpleUploadedFile("x.pdf", b"")),
            ],
        )
    _assert_nothing_written()
