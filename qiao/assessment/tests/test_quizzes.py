"""Quizzes: the random draw is stored, one attempt unless reopened, the time limit is enforced
by the server, answers are validated and scored all-or-nothing per question."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from qiao.accounts.models import User
from qiao.assessment import scoring, services
from qiao.assessment.models import Question, QuestionKind, Quiz, QuizAttempt, QuizAttemptStatus
from qiao.assessment.tests.conftest import pass_quiz, right_answers
from qiao.core.errors import NotAllowed, ServiceError
from qiao.training.models import Cohort, Module


def test_draw_is_seeded_and_stored(trainee: User, quiz: Quiz, cohort: Cohort) -> None:
    attempt = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    assert len(attempt.question_ids) == 4
    assert len(set(attempt.question_ids)) == 4
    pool = quiz.questions.values_list("pk", flat=True)
    assert scoring.draw(pool, 4, attempt.seed) == attempt.question_ids
    # Starting again (a reload) returns the same attempt and the same draw.
    again = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    assert again.pk == attempt.pk
    assert again.question_ids == attempt.question_ids


def test_one_attempt_unless_reopened(
    trainee: User, lecturer: User, quiz: Quiz, cohort: Cohort
) -> None:
    first = pass_quiz(trainee, quiz, cohort)
    assert first.score == 100
    assert first.passed
    with pytest.raises(ServiceError):
        services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    services.quiz_attempt_reopen(actor=lecturer, attempt=first)
    with pytest.raises(ServiceError):
        services.quiz_attempt_reopen(actor=lecturer, attempt=first)
    second = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    assert second.number == 2
    assert second.status == QuizAttemptStatus.IN_PROGRESS


def test_the_trainee_cannot_reopen_their_own(trainee: User, quiz: Quiz, cohort: Cohort) -> None:
    attempt = pass_quiz(trainee, quiz, cohort)
    with pytest.raises(NotAllowed):
        services.quiz_attempt_reopen(actor=trainee, attempt=attempt)


def test_save_then_submit_scores_all_or_nothing(trainee: User, quiz: Quiz, cohort: Cohort) -> None:
    attempt = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    right = right_answers(attempt)
    qids = attempt.question_ids
    answers = {qids[0]: right[qids[0]], qids[1]: right[qids[1]]}
    # A multiple-choice answer with one option missing is wrong; so is an empty answer.
    third = Question.objects.get(pk=qids[2])
    answers[qids[2]] = right[qids[2]][:1] if len(third.correct) > 1 else [len(third.options) - 1]
    saved = services.quiz_attempt_answer(
        actor=trainee, attempt=attempt, answers=answers, submit=False
    )
    assert saved.status == QuizAttemptStatus.IN_PROGRESS
    assert saved.answers[str(qids[0])] == right[qids[0]]
    done = services.quiz_attempt_answer(actor=trainee, attempt=saved, answers=answers, submit=True)
    assert (done.correct_count, done.score, done.passed) == (2, 50, False)
    assert not done.timed_out
    with pytest.raises(ServiceError):
        services.quiz_attempt_answer(actor=trainee, attempt=done, answers=answers, submit=True)


def test_after_the_deadline_only_what_was_saved_in_time_counts(
    trainee: User, quiz: Quiz, cohort: Cohort
) -> None:
    attempt = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    right = right_answers(attempt)
    first = attempt.question_ids[0]
    services.quiz_attempt_answer(
        actor=trainee, attempt=attempt, answers={first: right[first]}, submit=False
    )
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - services.GRACE - timedelta(seconds=1)
    )
    attempt.refresh_from_db()
    late = services.quiz_attempt_answer(actor=trainee, attempt=attempt, answers=right, submit=True)
    assert late.timed_out
    assert late.status == QuizAttemptStatus.SUBMITTED
    assert late.correct_count == 1  # the late answers were not taken
    assert late.score == 25


def test_a_submission_within_the_grace_is_taken(trainee: User, quiz: Quiz, cohort: Cohort) -> None:
    attempt = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - services.GRACE / 2)
    attempt.refresh_from_db()
    done = services.quiz_attempt_answer(
        actor=trainee, attempt=attempt, answers=right_answers(attempt), submit=True
    )
    assert not done.timed_out
    assert done.score == 100


def test_an_abandoned_attempt_is_closed_when_opened(
    trainee: User, quiz: Quiz, cohort: Cohort
) -> None:
    attempt = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    attempt.refresh_from_db()
    closed = services.quiz_attempt_close_if_expired(attempt=attempt)
    assert closed.status == QuizAttemptStatus.SUBMITTED
    assert closed.timed_out
    assert closed.score == 0


def test_answers_are_validated(trainee: User, quiz: Quiz, cohort: Cohort) -> None:
    attempt = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    other = quiz.questions.exclude(pk__in=attempt.question_ids).first()
    assert other is not None
    with pytest.raises(ServiceError):
        services.quiz_attempt_answer(
            actor=trainee, attempt=attempt, answers={other.pk: [0]}, submit=False
        )
    qid = attempt.question_ids[0]
    with pytest.raises(ServiceError):
        services.quiz_attempt_answer(
            actor=trainee, attempt=attempt, answers={qid: [99]}, submit=False
        )
    single = next(
        q
        for q in Question.objects.filter(pk__in=attempt.question_ids)
        if q.kind == QuestionKind.SINGLE
    )
    with pytest.raises(ServiceError):
        services.quiz_attempt_answer(
            actor=trainee, attempt=attempt, answers={single.pk: [0, 1]}, submit=False
        )


def test_only_the_trainee_answers(
    trainee: User, lecturer: User, quiz: Quiz, cohort: Cohort
) -> None:
    attempt = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    with pytest.raises(NotAllowed):
        services.quiz_attempt_answer(actor=lecturer, attempt=attempt, answers={}, submit=True)


def test_a_closed_quiz_cannot_be_started(trainee: User, quiz: Quiz, cohort: Cohort) -> None:
    quiz.published = False
    quiz.save()
    with pytest.raises(NotAllowed):
        services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)


def test_lecturer_writes_a_trilingual_question(lecturer: User, quiz: Quiz) -> None:
    question = services.question_save(
        actor=lecturer,
        quiz=quiz,
        kind=QuestionKind.SINGLE,
        texts={
            "zh": "许可协议是？",
            "ru": "Что такое лицензионный договор?",
            "en": "A licence is?",
        },
        options=[
            {"zh": "使用权", "ru": "Право использования", "en": "A right to use"},
            {"zh": "所有权", "ru": "Право собственности", "en": "Ownership"},
        ],
        correct=[0],
        explanations={"en": "A licence grants use, not ownership."},
    )
    assert question.created_by == lecturer
    assert question.option_labels("ru") == ["Право использования", "Право собственности"]
    assert question.text("zh-hans") == "许可协议是？"


@pytest.mark.parametrize(
    ("texts", "options", "correct", "kind"),
    [
        ({}, [{"en": "a"}, {"en": "b"}], [0], QuestionKind.SINGLE),
        ({"en": "Q?"}, [{"en": "a"}], [0], QuestionKind.SINGLE),
        ({"en": "Q?"}, [{"en": "a"}, {"en": "b"}], [], QuestionKind.SINGLE),
        ({"en": "Q?"}, [{"en": "a"}, {"en": "b"}], [0, 1], QuestionKind.SINGLE),
        ({"en": "Q?"}, [{"en": "a"}, {"en": "b"}], [2], QuestionKind.MULTIPLE),
        ({"en": "Q?", "ru": "В?"}, [{"en": "a", "ru": "а"}, {"en": "b"}], [0], "single"),
    ],
)
def test_bad_questions_are_refused(
    secretariat: User,
    quiz: Quiz,
    texts: dict[str, str],
    options: list[dict[str, str]],
    correct: list[int],
    kind: str,
) -> None:
    with pytest.raises(ServiceError):
        services.question_save(
            actor=secretariat,
            quiz=quiz,
            kind=kind,
            texts=texts,
            options=options,
            correct=correct,
            explanations={},
        )


def test_a_quiz_opens_only_with_a_big_enough_bank(secretariat: User, modules: list[Module]) -> None:
    quiz = services.quiz_save(
        actor=secretariat,
        module=modules[1],
        questions_per_attempt=3,
        time_limit_minutes=10,
        pass_mark=60,
        published=False,
    )
    with pytest.raises(ServiceError):
        services.quiz_save(
            actor=secretariat,
            module=modules[1],
            questions_per_attempt=3,
            time_limit_minutes=10,
            pass_mark=60,
            published=True,
        )
    quiz.refresh_from_db()
    assert not quiz.published


def test_trainee_and_outsider_cannot_write_quizzes(
    trainee: User, outsider: User, modules: list[Module]
) -> None:
    for user in (trainee, outsider):
        with pytest.raises(NotAllowed):
            services.quiz_save(
                actor=user,
                module=modules[0],
                questions_per_attempt=1,
                time_limit_minutes=1,
                pass_mark=50,
                published=False,
            )
