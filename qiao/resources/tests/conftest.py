from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qiao.accounts.models import User
from qiao.alliance.models import Membership, MembershipStatus
from qiao.core.testing.factories import UserFactory
from qiao.organizations.models import Organization
from qiao.resources import services
from qiao.resources.models import Resource

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def own_media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str = "lesson.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def student(db: None) -> User:
    return UserFactory.create(username="student", student=True)


@pytest.fixture
def student_client(student: User) -> Client:
    client = Client()
    client.force_login(student)
    return client


def member(org: Organization) -> Membership:
    return Membership.objects.create(
        organization=org, status=MembershipStatus.MEMBER, joined_on=date(2025, 6, 20)
    )


@pytest.fixture
def members(cn_org: Organization, ru_org: Organization) -> list[Membership]:
    return [member(cn_org), member(ru_org)]


@pytest.fixture
def resource(
    members: list[Membership],
    cn_rep: User,
    cn_org: Organization,
    django_capture_on_commit_callbacks: Any,
) -> Resource:
    """Published, and indexed once its transaction commits, as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.resource_publish(
            actor=cn_rep,
            resource=Resource(
                title="焊接工艺实训教程",
                description="本教程介绍焊条电弧焊和气体保护焊的基本操作，适用于高职焊接技术专业学生。",
                language="zh",
                level="higher_vocational",
                licence="cc-by-4.0",
            ),
            organizations=[cn_org],
            content=services.Content(file=pdf()),
        )
