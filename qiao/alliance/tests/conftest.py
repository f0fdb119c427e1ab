"""Alliance personas on top of the project ones (docs/testing.md):

student       signed in, no organisation (a student or graduate)
ru_rep        representative of ru_org, which is an alliance member here (``ru_member``)
cn_rep        representative of cn_org, which is not a member
secretariat   reviews applications and manages the pipeline
applicant     anonymous, holding the secret link of their application
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qiao.accounts.models import User
from qiao.alliance import services
from qiao.alliance.models import Membership, MembershipApplication, MembershipStatus, Specialty
from qiao.core.testing.factories import UserFactory
from qiao.organizations.models import Organization

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def pdf(name: str = "certificate.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


@pytest.fixture(autouse=True)
def own_media_root(settings: Any, tmp_path: Path) -> None:
    """Uploaded documents of one test never show up in another's."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def student(db: None) -> User:
    return UserFactory.create(username="student", student=True)


@pytest.fixture
def student_client(student: User) -> Client:
    client = Client()
    client.force_login(student)
    return client


@pytest.fixture
def specialty(db: None) -> Specialty:
    return Specialty.objects.create(
        code="welding", name_zh="智能焊接技术", name_ru="Сварочное производство", name_en="Welding"
    )


@pytest.fixture
def ru_member(ru_org: Organization, specialty: Specialty) -> Membership:
    membership = Membership.objects.create(
        organization=ru_org,
        status=MembershipStatus.MEMBER,
        region="RU-KHA",
        joined_on=date(2025, 6, 20),
        contact_name="Ирина Контактова",
        contact_email="irina@college.example",
    )
    membership.specialties.add(specialty)
    return membership


def application_data(**overrides: Any) -> services.ApplicationData:
    values: dict[str, Any] = {
        "name_zh": "",
        "name_ru": "Амурский колледж сервиса",
        "name_en": "Amur Service College",
        "kind": "secondary_vocational",
        "country": "RU",
        "region": "RU-AMU",
        "city": "Благовещенск",
        "website": "",
        "description": "Колледж готовит специалистов по логистике и туризму.",
        "description_language": "ru",
        "motivation": "Совместный набор и стажировки в Хэйхэ.",
        "rep_name": "Анна Петрова",
        "rep_position": "заместитель директора",
        "rep_email": "anna@amur-college.example",
        "rep_phone": "",
        "language": "ru",
    }
    values.update(overrides)
    return services.ApplicationData(**values)


@pytest.fixture
def application(db: None, specialty: Specialty) -> MembershipApplication:
    return services.application_submit(
        data=application_data(specialties=(specialty,)),
        uploads=[services.Upload(kind="registration", file=pdf())],
    )


def form_post(specialty: Specialty | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_zh": "黑龙江测试职业技术学院",
        "name_ru": "",
        "name_en": "Heilongjiang Test Vocational College",
        "kind": "higher_vocational",
        "country": "CN",
        "region": "CN-HL",
        "city": "哈尔滨",
        "website": "",
        "description": "学院开设焊接与机电一体化专业。",
        "description_language": "zh",
        "motivation": "希望与俄罗斯院校联合招生。",
        "rep_name": "王芳",
        "rep_position": "国际交流处处长",
        "rep_email": "wang@college.example",
        "rep_phone": "+86 451 1234 5678",
        "language": "zh-hans",
        "consent": "on",
        "registration": pdf(),
    }
    if specialty is not None:
        data["specialties"] = [specialty.pk]
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
