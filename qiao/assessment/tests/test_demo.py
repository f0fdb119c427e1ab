"""The demo's sample assessment: a trilingual bank for each module, completion rules, and a
pilot cohort with two certified sample students and one who has not completed."""

from __future__ import annotations

import pytest

from qiao.accounts.models import Role
from qiao.assessment import selectors
from qiao.assessment.demo import load_assessment, load_pilot
from qiao.assessment.models import CompletionRule, Quiz
from qiao.core.testing.factories import UserFactory
from qiao.demo.loader import load_organizations
from qiao.training.demo import load_training


@pytest.mark.django_db
def test_demo_quizzes_pilot_cohort_and_certificates() -> None:
    load_organizations()
    trainee = UserFactory.create(role=Role.BROKER)
    secretariat = UserFactory.create(secretariat=True)
    UserFactory.create(username="student.wang", first_name="伟", last_name="王")
    UserFactory.create(username="student.ivanov", first_name="Иван", last_name="Иванов")
    UserFactory.create(username="student.aliya", first_name="Aliya", last_name="Nurlanova")
    load_training(password="pw", trainees=[trainee])
    assert load_assessment() == 18
    assert load_assessment() == 18  # idempotent
    quizzes = list(Quiz.objects.prefetch_related("questions"))
    assert len(quizzes) == 3
    for quiz in quizzes:
        assert quiz.published and quiz.is_sample
        for question in quiz.questions.all():
            assert question.text_zh and question.text_ru and question.text_en
            assert all(o["zh"] and o["ru"] and o["en"] for o in question.options)
            assert question.correct
    assert CompletionRule.objects.get().min_attendance_percent == 75

    certificates = load_pilot(secretariat=secretariat)
    assert sorted(c.holder_name for c in certificates) == ["Иван Иванов", "王伟"]
    assert set(load_pilot(secretariat=secretariat)) == set(certificates)  # idempotent
    cohort = certificates[0].enrolment.cohort
    statuses = {s.name: s for s in selectors.completion_statuses(cohort=cohort)}
    aliya = statuses["Aliya Nurlanova"]
    assert not aliya.complete
    assert aliya.attendance_percent == 50
    assert len(aliya.missing) == 2  # attendance, one quiz not passed
