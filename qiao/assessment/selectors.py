"""Reads for assessment and certification; each takes the acting user where visibility
depends on it. `completion_statuses` is the one place completion is decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.assessment import permissions, scoring
from qiao.assessment.models import (
    Certificate,
    CompletionRule,
    Question,
    Quiz,
    QuizAttempt,
    QuizAttemptStatus,
)
from qiao.core.names import person_name, user_name
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Attempt,
    AttemptStatus,
    Cohort,
    Enrolment,
    TrainingProgramme,
)
from qiao.training.selectors import FunnelStep

if TYPE_CHECKING:
    from qiao.training.permissions import AnyUser


def completion_rule(*, programme: TrainingProgramme) -> CompletionRule:
    """The programme's rule, or the default one (unsaved) when none was set."""
    rule = CompletionRule.objects.filter(programme=programme).first()
    return rule or CompletionRule(programme=programme)


# --- quizzes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizRow:
    quiz: Quiz
    attempt: QuizAttempt | None  # the trainee's latest
    can_start: bool
    bank_size: int


def quizzes_for_cohort(*, user: AnyUser, cohort: Cohort) -> list[QuizRow]:
    """The programme's quizzes: open ones for the cohort's trainees (with their latest attempt),
    all of them for those who write them."""
    programme = cohort.programme
    quizzes = (
        Quiz.objects.filter(module__programme=programme)
        .select_related("module")
        .annotate(bank=Count("questions", filter=Q(questions__active=True)))
    )
    author = permissions.can_author_quizzes(user, programme)
    if not author:
        quizzes = quizzes.filter(published=True)
    latest: dict[int, QuizAttempt] = {}
    if user.is_authenticated:
        for attempt in QuizAttempt.objects.filter(
            enrolment__cohort=cohort, enrolment__user=user
        ).order_by("number"):
            latest[attempt.quiz_id] = attempt
    rows = []
    for quiz in quizzes:
        mine = latest.get(quiz.pk)
        startable = permissions.can_take_quiz(user, quiz, cohort) and (
            mine is None
            or mine.status == QuizAttemptStatus.IN_PROGRESS
            or mine.reopened_at is not None
        )
        if not author and not permissions.can_take_quiz(user, quiz, cohort):
            continue
        rows.append(QuizRow(quiz, mine, startable, quiz.bank))
    return rows


def quiz_get(*, quiz_id: int) -> Quiz:
    return Quiz.objects.select_related("module__programme").get(pk=quiz_id)


def question_bank(*, user: AnyUser, quiz: Quiz) -> QuerySet[Question]:
    if not permissions.can_author_quizzes(user, quiz.module.programme):
        return Question.objects.none()
    return quiz.questions.order_by("-active", "id")


@dataclass(frozen=True)
class DrawnQuestion:
    question: Question
    labels: list[str]
    selected: list[int]
    right: bool


def attempt_questions(*, attempt: QuizAttempt) -> list[DrawnQuestion]:
    """The drawn questions in draw order, with the answers saved so far."""
    by_pk = Question.objects.in_bulk(attempt.question_ids)
    rows = []
    for qid in attempt.question_ids:
        question = by_pk.get(qid)
        if question is None:
            continue
        selected = list(attempt.answers.get(str(qid), []))
        rows.append(
            DrawnQuestion(
                question,
                question.option_labels(),
                selected,
                scoring.is_right(selected, question.correct),
            )
        )
    return rows


def attempts_of_quiz(*, user: AnyUser, quiz: Quiz, cohort: Cohort) -> QuerySet[QuizAttempt]:
    """Every attempt in the cohort, for its lecturers and the secretariat."""
    if not permissions.can_view_completion(user, cohort):
        return QuizAttempt.objects.none()
    return (
        QuizAttempt.objects.filter(quiz=quiz, enrolment__cohort=cohort)
        .select_related("enrolment__user")
        .order_by("enrolment__user__last_name", "enrolment__user__username", "number")
    )


# --- completion --------------------------------------------------------------------------------


@dataclass
class TraineeCompletion:
    enrolment: Enrolment
    name: str
    attended: int
    held: int
    quiz_scores: list[int | None]  # the latest submitted score per open quiz
    simulation_scores: list[int | None]  # total score per published simulation
    missing: list[str] = field(default_factory=list)
    certificate: Certificate | None = None

    @property
    def attendance_percent(self) -> int | None:
        return round(100 * self.attended / self.held) if self.held else None

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Completion:
    rule: CompletionRule
    quizzes: list[Quiz]
    assignments: list[Assignment]
    rows: list[TraineeCompletion]


holder_name = person_name  # the name as printed on a certificate


def _quiz_score(attempt: QuizAttempt) -> int | None:
    """A submitted attempt's score; an attempt left open past its deadline counts with what
    was saved in time (the same score the service will record when it is closed)."""
    if attempt.status == QuizAttemptStatus.SUBMITTED:
        return attempt.score
    from qiao.assessment.services import GRACE

    if timezone.now() <= attempt.deadline + GRACE:
        return None
    correct = dict(
        Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "correct")
    )
    return scoring.score(attempt.question_ids, attempt.answers, correct)[1]


def _build(cohort: Cohort, enrolments: QuerySet[Enrolment]) -> Completion:
    programme = cohort.programme
    rule = completion_rule(programme=programme)
    quizzes = list(
        Quiz.objects.filter(module__programme=programme, published=True).select_related("module")
    )
    assignments = list(cohort.assignments.filter(published=True).order_by("deal_due", "id"))
    held = cohort.sessions.filter(starts_at__lte=timezone.now()).count()
    trainees = (
        enrolments.select_related("user")
        .annotate(
            attended=Count(
                "attendance",
                filter=Q(attendance__present=True, attendance__session__cohort=cohort),
            )
        )
        .order_by("user__last_name", "user__username")
    )
    latest: dict[tuple[int, int], QuizAttempt] = {}
    for attempt in QuizAttempt.objects.filter(enrolment__cohort=cohort).order_by("number"):
        latest[(attempt.enrolment_id, attempt.quiz_id)] = attempt
    simulations = {
        (a.enrolment_id, a.assignment_id): a
        for a in Attempt.objects.filter(assignment__cohort=cohort, status=AttemptStatus.SUBMITTED)
    }
    certificates = {
        c.enrolment_id: c
        for c in Certificate.objects.filter(enrolment__cohort=cohort, revoked_at__isnull=True)
    }
    rows = []
    for enrolment in trainees:
        attempts = [latest.get((enrolment.pk, quiz.pk)) for quiz in quizzes]
        quiz_scores = [_quiz_score(a) if a else None for a in attempts]
        sims = [simulations.get((enrolment.pk, a.pk)) for a in assignments]
        sim_scores = [s.total_score if s else None for s in sims]
        row = TraineeCompletion(
            enrolment=enrolment,
            name=user_name(enrolment.user),
            attended=enrolment.attended,
            held=held,
            quiz_scores=quiz_scores,
            simulation_scores=sim_scores,
            certificate=certificates.get(enrolment.pk),
        )
        percent = row.attendance_percent
        if rule.min_attendance_percent:
            if percent is None:
                row.missing.append(_("no session has been held yet"))
            elif percent < rule.min_attendance_percent:
                row.missing.append(
                    _("attendance %(percent)s %% (at least %(minimum)s %% needed)")
                    % {"percent": percent, "minimum": rule.min_attendance_percent}
                )
        if rule.require_quizzes:
            for quiz, quiz_score in zip(quizzes, quiz_scores, strict=True):
                if quiz_score is None:
                    row.missing.append(_("quiz not taken: %(quiz)s") % {"quiz": quiz.module})
                elif quiz_score < quiz.pass_mark:
                    row.missing.append(
                        _("quiz not passed: %(quiz)s (%(score)s %%, pass mark %(mark)s %%)")
                        % {"quiz": quiz.module, "score": quiz_score, "mark": quiz.pass_mark}
                    )
        if rule.require_simulations:
            for assignment, sim_score in zip(assignments, sim_scores, strict=True):
                if sim_score is None:
                    row.missing.append(
                        _("simulation not submitted: %(title)s") % {"title": assignment.title()}
                    )
                elif sim_score < rule.min_simulation_score:
                    row.missing.append(
                        _("simulation score %(score)s below %(minimum)s: %(title)s")
                        % {
                            "score": sim_score,
                            "minimum": rule.min_simulation_score,
                            "title": assignment.title(),
                        }
                    )
        rows.append(row)
    return Completion(rule, quizzes, assignments, rows)


def completion_statuses(*, cohort: Cohort) -> list[TraineeCompletion]:
    """Every trainee's status (for services; no permission check)."""
    accepted = cohort.enrolments.filter(status=ApplicationStatus.ACCEPTED)
    return _build(cohort, accepted).rows


def cohort_completion(*, user: AnyUser, cohort: Cohort) -> Completion | None:
    if not permissions.can_view_completion(user, cohort):
        return None
    return _build(cohort, cohort.enrolments.filter(status=ApplicationStatus.ACCEPTED))


def my_completion(*, user: AnyUser, cohort: Cohort) -> Completion | None:
    """The trainee's own status and certificate."""
    if not user.is_authenticated:
        return None
    mine = cohort.enrolments.filter(status=ApplicationStatus.ACCEPTED, user=user)
    completion = _build(cohort, mine)
    return completion if completion.rows else None


# --- certificates ------------------------------------------------------------------------------


def certificate_get(*, certificate_id: int) -> Certificate:
    return Certificate.objects.select_related("enrolment__cohort", "enrolment__user").get(
        pk=certificate_id
    )


def certificate_verify(*, number: str) -> Certificate | None:
    """For the public page: the certificate with this number (case and spaces forgiven)."""
    cleaned = number.strip().upper().replace(" ", "")
    if not cleaned:
        return None
    return Certificate.objects.filter(number=cleaned).first()


def cohort_certificates(*, user: AnyUser, cohort: Cohort) -> QuerySet[Certificate]:
    if not permissions.can_view_completion(user, cohort):
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(enrolment__cohort=cohort)
        .select_related("enrolment__user")
        .prefetch_related("events__actor")
    )


NUMBER_COLUMNS = ("trainees", "completed", "certified", "revoked")


@dataclass(frozen=True)
class CohortNumbers:
    cohort: Cohort
    trainees: int
    completed: int
    certified: int
    revoked: int


def certificate_numbers(*, user: AnyUser) -> list[CohortNumbers]:
    """Per cohort: trainees, how many completed, valid and revoked certificates."""
    if not permissions.can_view_certificate_numbers(user):
        return []
    rows = []
    cohorts = Cohort.objects.select_related("programme").annotate(
        certified=Count(
            "enrolments__certificates",
            filter=Q(enrolments__certificates__revoked_at__isnull=True),
        ),
        revoked=Count(
            "enrolments__certificates",
            filter=Q(enrolments__certificates__revoked_at__isnull=False),
        ),
    )
    for cohort in cohorts.order_by("starts_on", "id"):
        statuses = completion_statuses(cohort=cohort)
        rows.append(
            CohortNumbers(
                cohort,
                len(statuses),
                sum(1 for s in statuses if s.complete),
                cohort.certified,
                cohort.revoked,
            )
        )
    return rows


def cohort_outcome_steps(cohort: Cohort) -> list[FunnelStep]:
    """The training funnel's last steps: trainees who meet the completion rules, and those
    holding a valid certificate."""
    statuses = completion_statuses(cohort=cohort)
    certified = sum(1 for status in statuses if status.certificate is not None)
    return [
        FunnelStep(
            "completed", _("Completed the programme"), sum(1 for s in statuses if s.complete)
        ),
        FunnelStep("certified", _("Certified"), certified),
    ]
