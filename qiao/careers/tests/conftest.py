"""Careers personas, on top of the project ones (conftest.py at the root):

student       a Chinese vocational student (UI zh-hans) with a profile written in Chinese,
              studying at cn_org (so cn_rep is their institution)
other_student another student, writing in Russian at a fresh college
employer      representative of ru_enterprise, a Russian enterprise (UI ru)
secretariat, cn_rep (institution), outsider (a Kazakh enterprise, not involved)
"""

from __future__ import annotations

import pytest
from django.test import Client

from qiao.accounts.models import UILanguage, User
from qiao.careers.models import Posting, PostingStatus, TalentProfile
from qiao.careers.tests.factories import PostingFactory, StudentFactory, TalentProfileFactory
from qiao.core.testing.factories import OrganizationFactory, UserFactory
from qiao.organizations.models import Country, Organization, OrganizationKind


@pytest.fixture
def ru_enterprise(db: None) -> Organization:
    return OrganizationFactory.create(country=Country.RU, kind=OrganizationKind.ENTERPRISE)


@pytest.fixture
def employer(ru_enterprise: Organization) -> User:
    return UserFactory.create(
        username="employer", organization=ru_enterprise, preferred_language=UILanguage.RU
    )


@pytest.fixture
def student(cn_org: Organization) -> User:
    user = StudentFactory.create(username="student", preferred_language=UILanguage.ZH_HANS)
    TalentProfileFactory.create(user=user, institution=cn_org, language="zh")
    return user


@pytest.fixture
def student_profile(student: User) -> TalentProfile:
    return TalentProfile.objects.get(user=student)


@pytest.fixture
def other_student(db: None) -> User:
    user = StudentFactory.create(username="other_student")
    TalentProfileFactory.create(user=user, language="ru")
    return user


@pytest.fixture
def posting(ru_enterprise: Organization) -> Posting:
    return PostingFactory.create(
        employer=ru_enterprise, status=PostingStatus.PUBLISHED, language="ru"
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def student_client(student: User) -> Client:
    return _client(student)


@pytest.fixture
def other_student_client(other_student: User) -> Client:
    return _client(other_student)


@pytest.fixture
def employer_client(employer: User) -> Client:
    return _client(employer)
