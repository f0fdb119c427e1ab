from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from qiao.accounts.models import User
from qiao.alliance.models import Membership, MembershipStatus
from qiao.core.testing.factories import UserFactory
from qiao.organizations.models import Organization
from qiao.programmes.models import Programme


@pytest.fixture
def student(db: None) -> User:
    return UserFactory.create(username="student", student=True, email="s@uni.example")


@pytest.fixture
def student_client(student: User) -> Client:
    client = Client()
    client.force_login(student)
    return client


@pytest.fixture
def cn_member(cn_org: Organization) -> Membership:
    return Membership.objects.create(
        organization=cn_org, status=MembershipStatus.MEMBER, joined_on=date(2025, 6, 20)
    )


@pytest.fixture
def programme(cn_org: Organization, ru_org: Organization) -> Programme:
    programme = Programme.objects.create(
        kind="chinese_plus_short",
        level="training",
        title_zh="中文+焊接技术短期培训",
        title_ru="Краткий курс «Китайский язык + сварка»",
        description="Курс для студентов российских колледжей.",
        description_language="ru",
        lead=cn_org,
        instruction_languages=["zh", "ru"],
        duration_months=3,
        quota=1,
        hsk_required=2,
    )
    programme.partners.add(ru_org)
    return programme
