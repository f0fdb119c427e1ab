"""The data migrations that give existing candidates the student role (careers 0002,
programmes 0002): only users who acted as students, never representatives or staff."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from qiao.accounts.models import Role, User
from qiao.careers.models import Application, Posting
from qiao.careers.tests.factories import TalentProfileFactory
from qiao.core.testing.factories import UserFactory
from qiao.organizations.models import Organization
from qiao.programmes.models import Programme, StudentApplication

pytestmark = pytest.mark.django_db

careers_0002 = importlib.import_module("qiao.careers.migrations.0002_students_get_the_role")
programmes_0002 = importlib.import_module("qiao.programmes.migrations.0002_students_get_the_role")


def _legacy_student(**kwargs: object) -> User:
    return UserFactory.create(role=Role.REPRESENTATIVE, organization=None, **kwargs)


def test_careers_candidates_get_the_role(posting: Posting, cn_rep: User) -> None:
    with_profile = _legacy_student()
    TalentProfileFactory.create(user=with_profile)
    applicant = _legacy_student()
    Application.objects.create(posting=posting, candidate=applicant)
    bystander = _legacy_student()
    staff = _legacy_student(is_staff=True)
    TalentProfileFactory.create(user=staff)

    careers_0002.forwards(apps, None)

    roles = dict(User.objects.values_list("username", "role"))
    assert roles[with_profile.username] == roles[applicant.username] == Role.STUDENT
    assert roles[bystander.username] == Role.REPRESENTATIVE
    assert roles[staff.username] == Role.REPRESENTATIVE
    assert roles[cn_rep.username] == Role.REPRESENTATIVE


def test_programme_applicants_get_the_role(cn_org: Organization, cn_rep: User) -> None:
    programme = Programme.objects.create(
        kind="chinese_plus_short",
        level="training",
        title_ru="Курс",
        description="Курс.",
        description_language="ru",
        lead=cn_org,
        instruction_languages=["ru"],
        duration_months=3,
        quota=5,
    )
    applicant = _legacy_student()
    StudentApplication.objects.create(
        programme=programme,
        student=applicant,
        motivation="Хочу учиться.",
        motivation_language="ru",
    )
    StudentApplication.objects.create(
        programme=programme,
        student=cn_rep,
        motivation="Хочу учиться.",
        motivation_language="ru",
    )
    bystander = _legacy_student()

    programmes_0002.forwards(apps, None)

    roles = dict(User.objects.values_list("username", "role"))
    assert roles[applicant.username] == Role.STUDENT
    assert roles[bystander.username] == Role.REPRESENTATIVE
    assert roles[cn_rep.username] == Role.REPRESENTATIVE
