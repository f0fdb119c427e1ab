"""Assessment personas and data on top of the training ones (imported below): the `trainee`
(UI zh-hans), `lecturer` (UI ru) and `other_lecturer` of the cohort, `applicant`, and the root
`secretariat`, `outsider` and `anon_client`. Adds a module quiz with a trilingual bank of six
questions (four drawn), and `completed`: the trainee attended the past session and passed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from qiao.accounts.models import User
from qiao.assessment import services
from qiao.assessment.models import CompletionRule, Question, QuestionKind, Quiz, QuizAttempt
from qiao.training.models import (
    Attendance,
    Cohort,
    Enrolment,
    Module,
    Session,
)
from qiao.training.tests.conftest import *  # noqa: F403  (the training personas and data)

BANK = (
    # kind, zh, ru, en, options (zh, ru, en), correct
    (
        QuestionKind.SINGLE,
        "技术转移服务的第一步是什么？",
        "С чего начинается услуга по трансферу технологий?",
        "What does a technology-transfer service start with?",
        [
            ("需求调查", "Исследование потребностей", "A demand survey"),
            ("签合同", "Подписание договора", "Signing the contract"),
            ("付款", "Оплата", "Payment"),
        ],
        [0],
    ),
    (
        QuestionKind.MULTIPLE,
        "哪些是知识产权状态？",
        "Что из этого — статус ИС?",
        "Which of these are IPR statuses?",
        [
            ("已授权", "Патент выдан", "Patent granted"),
            ("申请中", "Заявка подана", "Pending"),
            ("已付款", "Оплачено", "Paid"),
        ],
        [0, 1],
    ),
    (
        QuestionKind.SINGLE,
        "保密协议的英文缩写是？",
        "Как по-английски сокращённо называется соглашение о неразглашении?",
        "What is the short name of a non-disclosure agreement?",
        [("NDA", "NDA", "NDA"), ("MOU", "MOU", "MOU")],
        [0],
    ),
    (
        QuestionKind.SINGLE,
        "哈尔滨与莫斯科相差几小时？",
        "На сколько часов Харбин опережает Москву?",
        "How many hours is Harbin ahead of Moscow?",
        [("5", "5", "5"), ("3", "3", "3"), ("8", "8", "8")],
        [0],
    ),
    (
        QuestionKind.SINGLE,
        "技术经理人的俄文是？",
        "Как по-русски «技术经理人»?",
        "What is 技术经理人 in Russian?",
        [
            ("технологический брокер", "технологический брокер", "технологический брокер"),
            ("бухгалтер", "бухгалтер", "бухгалтер"),
        ],
        [0],
    ),
    (
        QuestionKind.MULTIPLE,
        "哪些是交易阶段？",
        "Какие из этих этапов есть в сделке?",
        "Which of these are deal stages?",
        [
            ("尽职调查", "Due diligence", "Due diligence"),
            ("谈判", "Переговоры", "Negotiation"),
            ("度假", "Отпуск", "Holiday"),
        ],
        [0, 1],
    ),
)


@pytest.fixture
def quiz(modules: list[Module]) -> Quiz:
    quiz = Quiz.objects.create(
        module=modules[0], questions_per_attempt=4, time_limit_minutes=15, pass_mark=75
    )
    for kind, zh, ru, en, options, correct in BANK:
        Question.objects.create(
            quiz=quiz,
            kind=kind,
            text_zh=zh,
            text_ru=ru,
            text_en=en,
            options=[{"zh": o[0], "ru": o[1], "en": o[2]} for o in options],
            correct=correct,
            explanation_en="See the module's slides.",
        )
    quiz.published = True
    quiz.save()
    return quiz


@pytest.fixture
def rule(cohort: Cohort) -> CompletionRule:
    return CompletionRule.objects.create(
        programme=cohort.programme,
        min_attendance_percent=100,
        require_quizzes=True,
        require_simulations=False,
    )


def right_answers(attempt: QuizAttempt) -> dict[int, list[int]]:
    return {q.pk: list(q.correct) for q in Question.objects.filter(pk__in=attempt.question_ids)}


def pass_quiz(user: User, quiz: Quiz, cohort: Cohort) -> QuizAttempt:
    attempt = services.quiz_attempt_start(actor=user, quiz=quiz, cohort=cohort)
    return services.quiz_attempt_answer(
        actor=user, attempt=attempt, answers=right_answers(attempt), submit=True
    )


@pytest.fixture
def completed(
    trainee: User, cohort: Cohort, quiz: Quiz, rule: CompletionRule, past_session: Session
) -> Enrolment:
    """The trainee attended the one session held and passed the one quiz."""
    enrolment = Enrolment.objects.get(user=trainee, cohort=cohort)
    Attendance.objects.create(session=past_session, enrolment=enrolment, present=True)
    pass_quiz(trainee, quiz, cohort)
    assert timezone.now() > past_session.starts_at
    return enrolment
