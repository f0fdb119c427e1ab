"""Talent profiles: editing, CV checks, and the personal-data visibility rule for each role."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.careers.models import Application, Posting, PostingStatus, TalentProfile
from qiao.careers.tests.factories import PostingFactory, StudentFactory
from qiao.organizations.models import Organization
from qiao.search.collections.careers import talent_key
from qiao.search.selectors import search_ids
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _form(institution: Organization, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "institution": institution.pk,
        "language": "zh",
        "headline": "机电一体化专业学生",
        "specialty": "机电一体化技术",
        "study_level": "higher_vocational",
        "skills_text": "PLC编程，电气安装",
        "experience": "在学校实训基地完成了自动化生产线的安装和调试。",
        "chinese_level": 7,
        "russian_level": 2,
        "english_level": 3,
        "preferred_countries": ["RU"],
        "available_from": "2027-03-01",
        "available_to": "2027-08-31",
    }
    data.update(overrides)
    return data


@pytest.fixture
def new_student(db: None) -> User:
    return StudentFactory.create(username="new_student")


@pytest.fixture
def new_student_client(new_student: User) -> Client:
    client = Client()
    client.force_login(new_student)
    return client


def test_student_creates_profile_with_pdf_cv(
    new_student_client: Client,
    new_student: User,
    cn_org: Organization,
    django_capture_on_commit_callbacks: object,
) -> None:
    cv = SimpleUploadedFile("Wang Wei CV.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = new_student_client.post(
            reverse("careers:my-profile"), {**_form(cn_org), "cv": cv}
        )
    assert response.status_code == 302
    profile = TalentProfile.objects.get(user=new_student)
    assert profile.skills == ["PLC编程", "电气安装"]
    assert profile.cv_name == "Wang Wei CV.pdf"
    # stored under a random name, outside MEDIA_ROOT
    stored = Path(profile.cv.path)
    assert stored.is_relative_to(Path(settings.QIAO_PRIVATE_MEDIA_ROOT))
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "Wang" not in stored.name
    assert talent_key(profile.pk) in search_ids(collection="careers")


def test_docx_accepted_and_old_cv_file_removed(
    new_student_client: Client,
    new_student: User,
    cn_org: Organization,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        new_student_client.post(
            reverse("careers:my-profile"),
            {**_form(cn_org), "cv": SimpleUploadedFile("cv.pdf", PDF)},
        )
    first = Path(TalentProfile.objects.get(user=new_student).cv.path)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        new_student_client.post(
            reverse("careers:my-profile"),
            {**_form(cn_org), "cv": SimpleUploadedFile("cv.docx", _docx())},
        )
    profile = TalentProfile.objects.get(user=new_student)
    assert str(profile.cv.name).endswith(".docx")
    assert not first.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.exe", b"MZ\x90\x00"),
        ("cv.pdf", b"MZ\x90\x00 not a pdf"),  # right name, wrong content
        ("cv.docx", b"PK\x03\x04 broken zip"),
        ("cv.html", b"<html><script>alert(1)</script>"),
    ],
)
def test_cv_type_checked_by_name_and_content(
    new_student_client: Client, new_student: User, cn_org: Organization, name: str, content: bytes
) -> None:
    response = new_student_client.post(
        reverse("careers:my-profile"), {**_form(cn_org), "cv": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cv"]
    assert not TalentProfile.objects.filter(user=new_student).exists()  # nothing half-saved


def test_cv_size_checked(
    new_student_client: Client, new_student: User, cn_org: Organization, settings: object
) -> None:
    settings.QIAO_CV_MAX_BYTES = 100  # type: ignore[attr-defined]
    big = SimpleUploadedFile("cv.pdf", PDF + b"0" * 200)
    response = new_student_client.post(reverse("careers:my-profile"), {**_form(cn_org), "cv": big})
    assert response.status_code == 200
    assert "MB" in str(response.context["form"].errors["cv"])


def test_profile_language_must_match_text(
    new_student_client: Client, new_student: User, cn_org: Organization
) -> None:
    response = new_student_client.post(reverse("careers:my-profile"), _form(cn_org, language="ru"))
    assert response.status_code == 200
    assert response.context["form"].errors["language"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 200),
        ("employer_client", 403),
        ("cn_rep_client", 403),
        ("secretariat_client", 403),
        ("broker_client", 403),
    ],
)
def test_who_keeps_a_talent_profile(
    request: pytest.FixtureRequest, persona: str, status: int
) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(reverse("careers:my-profile")).status_code == status


@pytest.fixture
def with_cv(student_profile: TalentProfile) -> TalentProfile:
    student_profile.cv.save("cv.pdf", SimpleUploadedFile("cv.pdf", PDF), save=False)
    student_profile.cv_name = "cv.pdf"
    student_profile.save()
    return student_profile


VISIBILITY = [
    ("anon_client", 302),
    ("student_client", 200),  # their own
    ("other_student_client", 404),
    ("employer_client", 404),  # has not applied, not allowed, not in the pool
    ("cn_rep_client", 200),  # their institution
    ("outsider_client", 404),
    ("broker_client", 404),
    ("secretariat_client", 200),
]


@pytest.mark.parametrize(("persona", "status"), VISIBILITY)
def test_profile_and_cv_visibility(
    request: pytest.FixtureRequest, with_cv: TalentProfile, persona: str, status: int
) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(reverse("careers:profile", args=[with_cv.pk])).status_code == status
    response = client.get(reverse("careers:profile-cv", args=[with_cv.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]


def test_employer_sees_profile_after_application(
    employer_client: Client, with_cv: TalentProfile, posting: Posting, student: User
) -> None:
    url = reverse("careers:profile-cv", args=[with_cv.pk])
    assert employer_client.get(url).status_code == 404
    Application.objects.create(posting=posting, candidate=student)
    assert employer_client.get(url).status_code == 200


def test_employer_sees_profile_when_allowed(
    employer_client: Client, with_cv: TalentProfile, ru_enterprise: Organization
) -> None:
    url = reverse("careers:profile", args=[with_cv.pk])
    assert employer_client.get(url).status_code == 404
    with_cv.allowed_employers.add(ru_enterprise)
    assert employer_client.get(url).status_code == 200


def test_talent_pool_opens_profile_to_employers_with_a_published_posting(
    employer_client: Client, with_cv: TalentProfile, ru_enterprise: Organization
) -> None:
    url = reverse("careers:profile", args=[with_cv.pk])
    with_cv.in_talent_pool = True
    with_cv.save()
    draft = PostingFactory.create(employer=ru_enterprise)
    assert employer_client.get(url).status_code == 404  # only a draft: not an employer yet
    draft.status = PostingStatus.PUBLISHED
    draft.save()
    assert employer_client.get(url).status_code == 200


def test_cv_is_not_served_as_media(client: Client, with_cv: TalentProfile) -> None:
    assert client.get(f"/{settings.MEDIA_URL}{with_cv.cv.name}").status_code == 404


def test_refused_profile_leaves_no_cv_file(new_student: User, cn_org: Organization) -> None:
    from django.core.exceptions import ValidationError

    from qiao.careers import services

    data = services.TalentData(
        institution=cn_org,
        language="zh",
        headline="机电一体化专业学生",
        specialty="机电一体化技术",
        study_level="astronaut",  # not a level of study
        experience="在学校实训基地完成了自动化生产线的安装和调试。",
    )
    private = Path(settings.QIAO_PRIVATE_MEDIA_ROOT)
    before = set(private.rglob("*")) if private.exists() else set()
    with pytest.raises(ValidationError):
        services.talent_profile_save(
            actor=new_student, data=data, cv=SimpleUploadedFile("cv.pdf", PDF)
        )
    after = set(private.rglob("*")) if private.exists() else set()
    assert after == before
    assert not TalentProfile.objects.filter(user=new_student).exists()


@pytest.mark.parametrize(
    ("persona", "status", "sees_student"),
    [
        ("anon_client", 302, False),
        ("student_client", 403, False),
        ("employer_client", 200, False),  # not applied, not allowed, not in the pool
        ("cn_rep_client", 200, True),  # the student's institution
        ("outsider_client", 200, False),
        ("broker_client", 403, False),
        ("secretariat_client", 200, True),
    ],
)
def test_talent_search_page(
    request: pytest.FixtureRequest,
    student_profile: TalentProfile,
    persona: str,
    status: int,
    sees_student: bool,
) -> None:
    client = request.getfixturevalue(persona)
    response = client.get(reverse("careers:talent-search"))
    assert response.status_code == status
    if status == 200:
        profiles = [p for p, _score in response.context["results"]]
        assert (student_profile in profiles) is sees_student


def test_talent_search_across_languages_with_level_filter(
    secretariat_client: Client, student_profile: TalentProfile, other_student: User
) -> None:
    russian = TalentProfile.objects.get(user=other_student)
    for p in (student_profile, russian):
        index_now("careers", [talent_key(p.pk)])
    response = secretariat_client.get(reverse("careers:talent-search"), {"q": "сварщик"})
    assert response.context["results"][0][0] == student_profile  # written in zh
    response = secretariat_client.get(
        reverse("careers:talent-search"), {"q": "сварщик", "min_russian": "4"}
    )
    assert student_profile not in [p for p, _s in response.context["results"]]  # has TORFL-1
