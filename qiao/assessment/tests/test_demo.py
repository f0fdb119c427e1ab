"""The demo's sample quizzes: a trilingual bank for each module, open, and completion rules."""

from __future__ import annotations

import pytest

from qiao.accounts.models import Role
from qiao.assessment.demo import load_assessment
from qiao.assessment.models import CompletionRule, Quiz
from qiao.core.testing.factories import UserFactory
from qiao.demo.loader import load_organizations
from qiao.training.demo import load_training


@pytest.mark.django_db
def test_demo_quizzes_for_every_module_in_three_languages() -> None:
    load_organizations()
    trainee = UserFactory.create(role=Role.BROKER)
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
