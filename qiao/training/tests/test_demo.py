from __future__ import annotations

from datetime import date, time

import pytest

from qiao.accounts.models import User
from qiao.core.testing.factories import UserFactory
from qiao.demo.loader import load_organizations
from qiao.training.demo import load_training, next_opening
from qiao.training.models import ApplicationStatus, Case, Cohort, Session, TimeZoneChoice

pytestmark = pytest.mark.django_db


def test_next_opening_is_the_coming_19_july() -> None:
    assert next_opening(date(2026, 3, 1)) == date(2026, 7, 19)
    assert next_opening(date(2026, 7, 19)) == date(2026, 7, 19)
    assert next_opening(date(2026, 11, 23)) == date(2027, 7, 19)


def test_demo_cohort_opens_19_july_in_harbin_with_the_partner_lecturers() -> None:
    load_organizations()
    trainee = UserFactory.create(broker=True)
    assert load_training(password="pw", trainees=[trainee]) == 4
    assert load_training(password="pw", trainees=[trainee]) == 4  # idempotent
    cohort = Cohort.objects.get()
    assert (cohort.starts_on.month, cohort.starts_on.day) == (7, 19)
    assert "Harbin" in cohort.place and cohort.is_sample and cohort.programme.is_sample
    assert set(cohort.lecturers.values_list("organization__key", flat=True)) == {
        "tsinghua-russia",
        "mipt",
        "spbpu",
        "instrument-ict-alliance",
    }
    assert User.objects.get(username="lecturer.mipt").check_password("pw")
    assert set(cohort.programme.modules.values_list("area", flat=True)) == {
        "cooperation",
        "standards",
        "surveys",
    }
    first = Session.objects.filter(time_zone=TimeZoneChoice.HARBIN).first()
    assert first is not None
    assert first.starts_at.astimezone(first.zone).time() == time(9)
    assert cohort.enrolments.get().status == ApplicationStatus.ACCEPTED
    assignment = cohort.assignments.get()
    assert assignment.published and assignment.offers.filter(is_reference=True).count() == 3
    assert set(assignment.offers.values_list("language", flat=True)) == {"zh", "ru", "en"}
    case = Case.objects.get()
    assert case.published and case.is_sample
    assert sorted(case.texts.values_list("language", flat=True)) == ["en", "ru", "zh"]
