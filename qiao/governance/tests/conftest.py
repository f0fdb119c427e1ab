from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from qiao.accounts.models import User
from qiao.alliance.models import Membership, MembershipStatus
from qiao.core.testing.factories import UserFactory
from qiao.governance.models import GoverningMeeting
from qiao.organizations.models import Organization


@pytest.fixture
def student(db: None) -> User:
    return UserFactory.create(username="student", student=True)


@pytest.fixture
def student_client(student: User) -> Client:
    client = Client()
    client.force_login(student)
    return client


@pytest.fixture
def ru_member(ru_org: Organization) -> Membership:
    return Membership.objects.create(
        organization=ru_org, status=MembershipStatus.MEMBER, joined_on=date(2025, 6, 20)
    )


@pytest.fixture
def assembly(db: None) -> GoverningMeeting:
    return GoverningMeeting.objects.create(
        kind="general_assembly",
        held_on=date(2025, 6, 20),
        title_zh="第一次会员大会",
        title_ru="Первое общее собрание",
        title_en="First general assembly",
        agenda_en="1. Charter\n2. Council elections",
    )
