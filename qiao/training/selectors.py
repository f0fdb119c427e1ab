"""Reads for the training programme; each takes the acting user where visibility depends on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.deals.models import OPEN_STAGES, STAGE_ORDER, ChecklistItem
from qiao.training import permissions
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Attempt,
    AttemptStatus,
    Attendance,
    Case,
    CaseConsent,
    Cohort,
    Enrolment,
    Lecturer,
    Module,
    SandboxOffer,
    Session,
    TrainingProgramme,
)

if TYPE_CHECKING:
    from qiao.deals.models import Deal
    from qiao.training.permissions import AnyUser

FORMAT = "%Y-%m-%d %H:%M"


def programme_list() -> QuerySet[TrainingProgramme]:
    return TrainingProgramme.objects.prefetch_related("cohorts", "modules")


def programme_get(*, programme_id: int) -> TrainingProgramme:
    return TrainingProgramme.objects.prefetch_related("modules").get(pk=programme_id)


def cohort_get(*, cohort_id: int) -> Cohort:
    return (
        Cohort.objects.select_related("programme")
        .annotate(
            accepted_count=Count(
                "enrolments", filter=Q(enrolments__status=ApplicationStatus.ACCEPTED)
            )
        )
        .get(pk=cohort_id)
    )


def cohort_lecturers(*, cohort: Cohort) -> QuerySet[Lecturer]:
    return cohort.lecturers.select_related("user", "organization")


@dataclass(frozen=True)
class SessionTimes:
    """A session's times where it is held and where the viewer is (already formatted)."""

    session: Session
    local_start: str
    local_end: str
    viewer_start: str
    viewer_end: str
    same_zone: bool


def _fmt(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime(FORMAT)


def session_times(session: Session, viewer_zone: str) -> SessionTimes:
    viewer = ZoneInfo(viewer_zone)
    here = session.zone
    same = here.utcoffset(session.starts_at) == viewer.utcoffset(session.starts_at)
    return SessionTimes(
        session=session,
        local_start=_fmt(session.starts_at, here),
        local_end=_fmt(session.ends_at, here),
        viewer_start=_fmt(session.starts_at, viewer),
        viewer_end=_fmt(session.ends_at, viewer),
        same_zone=same,
    )


def cohort_sessions(*, cohort: Cohort, viewer_zone: str) -> list[SessionTimes]:
    sessions = (
        cohort.sessions.select_related("module")
        .prefetch_related("lecturers__user", "lecturers__organization", "materials")
        .order_by("starts_at", "id")
    )
    return [session_times(s, viewer_zone) for s in sessions]


def session_get(*, session_id: int) -> Session:
    return Session.objects.select_related("cohort__programme", "module").get(pk=session_id)


def enrolment_of(*, user: AnyUser, cohort: Cohort) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(cohort=cohort, user=user).first()


def applications_for_management(*, user: AnyUser, cohort: Cohort) -> QuerySet[Enrolment]:
    if not permissions.can_manage_cohort(user):
        return Enrolment.objects.none()
    return cohort.enrolments.select_related("user", "user__organization").order_by(
        "status", "created_at", "id"
    )


def attendance_sheet(*, user: AnyUser, session: Session) -> list[tuple[Enrolment, bool | None]]:
    """The cohort's trainees with what was recorded for this session (None: not yet)."""
    if not permissions.can_record_attendance(user, session):
        return []
    recorded = dict(
        Attendance.objects.filter(session=session).values_list("enrolment_id", "present")
    )
    trainees = session.cohort.enrolments.filter(status=ApplicationStatus.ACCEPTED).select_related(
        "user"
    )
    return [(e, recorded.get(e.pk)) for e in trainees.order_by("user__last_name", "user__username")]


def my_sessions(*, user: AnyUser) -> QuerySet[Session]:
    """Sessions the user takes part in: as an accepted trainee or as one of the lecturers."""
    if not user.is_authenticated:
        return Session.objects.none()
    return (
        Session.objects.filter(
            Q(cohort__enrolments__user=user, cohort__enrolments__status=ApplicationStatus.ACCEPTED)
            | Q(lecturers__user=user)
        )
        .select_related("cohort", "module")
        .prefetch_related("lecturers__user", "lecturers__organization")
        .distinct()
        .order_by("starts_at", "id")
    )


# --- case library -----------------------------------------------------------------------------


def case_list(*, user: AnyUser, query: str = "") -> list[Case]:
    """Cases the user may read; with a query (any language), best matches first."""
    if not permissions.can_view_case_library(user):
        return []
    visible = Case.objects.prefetch_related("texts", "sectors")
    if not permissions.can_teach_cases(user):
        visible = visible.filter(published=True)
    if not query.strip():
        return list(visible)
    from qiao.search.collections.cases import NAME, case_pk_of
    from qiao.search.selectors import search_text

    ranked = list(
        dict.fromkeys(case_pk_of(m.doc_id) for m in search_text(collection=NAME, query=query, k=60))
    )[:20]  # each case once, through its best-fitting language version
    by_pk = visible.in_bulk(ranked)
    return [by_pk[pk] for pk in ranked if pk in by_pk]


def case_get(*, case_id: int) -> Case:
    return Case.objects.prefetch_related("texts", "sectors").get(pk=case_id)


def case_consents(*, deal: Deal) -> set[int]:
    return set(CaseConsent.objects.filter(deal=deal).values_list("organization_id", flat=True))


# --- practical simulation -----------------------------------------------------------------------


def assignments_for(*, user: AnyUser, cohort: Cohort) -> list[Assignment]:
    return [
        a
        for a in cohort.assignments.select_related("cohort", "module")
        if permissions.can_view_assignment(user, a)
    ]


def attempt_of(*, user: AnyUser, assignment: Assignment) -> Attempt | None:
    if not user.is_authenticated:
        return None
    return Attempt.objects.filter(assignment=assignment, enrolment__user=user).first()


@dataclass(frozen=True)
class Workspace:
    offers: list[tuple[SandboxOffer, float | None]]
    chosen: set[int]
    checklist: list[tuple[ChecklistItem, bool]]
    next_stage: str | None


def attempt_workspace(*, attempt: Attempt, query: str = "") -> Workspace:
    """The sandbox tools for one attempt: the pool (searched in any language when a query is
    given, else all of it), the partners chosen, the current stage's checklist."""
    pool = attempt.assignment.offers.all()
    offers: list[tuple[SandboxOffer, float | None]]
    if query.strip():
        from qiao.search.collections.sandbox import NAME, offer_pk_of
        from qiao.search.selectors import search_text

        by_pk = pool.in_bulk()
        hits = search_text(
            collection=NAME,
            query=query,
            filters={"assignment": {str(attempt.assignment_id)}},
            k=10,
        )
        offers = [
            (by_pk[offer_pk_of(h.doc_id)], h.score) for h in hits if offer_pk_of(h.doc_id) in by_pk
        ]
    else:
        offers = [(offer, None) for offer in pool]
    done = set(attempt.steps.values_list("item_id", flat=True))
    items = ChecklistItem.objects.filter(stage=attempt.stage, active=True).order_by(
        "position", "id"
    )
    following = STAGE_ORDER.index(attempt.stage) + 1
    return Workspace(
        offers=offers,
        chosen=set(attempt.partners.values_list("offer_id", flat=True)),
        checklist=[(item, item.pk in done) for item in items],
        next_stage=STAGE_ORDER[following] if attempt.stage in OPEN_STAGES else None,
    )


def assignment_pool(*, user: AnyUser, assignment: Assignment) -> list[SandboxOffer]:
    """The pool with the reference solution marked: the cohort's lecturers and the secretariat."""
    if not permissions.can_manage_assignment(user, assignment):
        return []
    return list(assignment.offers.order_by("language", "id"))


def leaderboard(*, user: AnyUser, assignment: Assignment) -> list[Attempt]:
    if not permissions.can_see_leaderboard(user, assignment):
        return []
    submitted = assignment.attempts.filter(status=AttemptStatus.SUBMITTED).select_related(
        "enrolment__user", "assignment"
    )
    return sorted(submitted, key=lambda a: (-(a.total_score or 0), a.submitted_at or a.created_at))


def attempts_for_grading(*, user: AnyUser, assignment: Assignment) -> QuerySet[Attempt]:
    if not permissions.can_manage_assignment(user, assignment):
        return Attempt.objects.none()
    return assignment.attempts.select_related("enrolment__user").order_by("status", "id")


# --- dashboards ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleColumn:
    """A module of the cohort's programme as the progress page shows it: the sessions held so
    far and the simulation assignments that belong to it (module None: assignments without)."""

    module: Module | None
    held: int
    assignments: list[Assignment]

    def title(self) -> str:
        return self.module.title() if self.module is not None else _("Without module")


@dataclass(frozen=True)
class ModuleProgress:
    attended: int
    held: int
    scores: list[int | None]  # total score per assignment of the module (None: not submitted)

    @property
    def attendance_percent(self) -> int | None:
        return round(100 * self.attended / self.held) if self.held else None

    @property
    def average_score(self) -> int | None:
        given = [s for s in self.scores if s is not None]
        return round(sum(given) / len(given)) if given else None


@dataclass(frozen=True)
class TraineeProgress:
    enrolment: Enrolment
    attended: int
    held: int
    scores: list[int | None]  # total score per assignment, in the order of the columns
    modules: list[ModuleProgress]  # one per column of the report

    @property
    def attendance_percent(self) -> int | None:
        return round(100 * self.attended / self.held) if self.held else None


@dataclass(frozen=True)
class ProgressReport:
    columns: list[ModuleColumn]
    rows: list[TraineeProgress]

    @property
    def assignments(self) -> list[Assignment]:
        return [a for column in self.columns for a in column.assignments]

    def module_averages(self) -> list[tuple[str, int | None, int | None]]:
        """Per module: (title, mean attendance %, mean simulation score) over the trainees."""
        result = []
        for i, column in enumerate(self.columns):
            percents = [
                p for row in self.rows if (p := row.modules[i].attendance_percent) is not None
            ]
            scores = [s for row in self.rows if (s := row.modules[i].average_score) is not None]
            result.append(
                (
                    column.title(),
                    round(sum(percents) / len(percents)) if percents else None,
                    round(sum(scores) / len(scores)) if scores else None,
                )
            )
        return result


def cohort_progress(*, user: AnyUser, cohort: Cohort) -> ProgressReport:
    """Per trainee and module: sessions attended of those held so far, and the score of each
    simulation of the module. Modules appear when the cohort has sessions or assignments in them."""
    if not permissions.can_view_progress(user, cohort):
        return ProgressReport([], [])
    now = timezone.now()
    held_by_module = dict(
        cohort.sessions.filter(starts_at__lte=now)
        .values("module_id")
        .annotate(n=Count("id"))
        .values_list("module_id", "n")
    )
    with_sessions = set(cohort.sessions.values_list("module_id", flat=True))
    assignments = list(cohort.assignments.order_by("deal_due", "id"))
    modules = [
        m
        for m in Module.objects.filter(programme_id=cohort.programme_id)
        if m.pk in with_sessions or any(a.module_id == m.pk for a in assignments)
    ]
    columns = [
        ModuleColumn(
            m, held_by_module.get(m.pk, 0), [a for a in assignments if a.module_id == m.pk]
        )
        for m in modules
    ]
    loose = [a for a in assignments if a.module_id is None]
    if loose:
        columns.append(ModuleColumn(None, 0, loose))
    trainees = (
        cohort.enrolments.filter(status=ApplicationStatus.ACCEPTED)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    )
    attended: dict[tuple[int, int], int] = {
        (enrolment_id, module_id): n
        for enrolment_id, module_id, n in Attendance.objects.filter(
            session__cohort=cohort, present=True
        )
        .values("enrolment_id", "session__module_id")
        .annotate(n=Count("id"))
        .values_list("enrolment_id", "session__module_id", "n")
    }
    attempts = {
        (a.enrolment_id, a.assignment_id): a
        for a in Attempt.objects.filter(assignment__cohort=cohort, status=AttemptStatus.SUBMITTED)
    }
    rows = []
    for enrolment in trainees:
        per_module = []
        for column in columns:
            module_id = column.module.pk if column.module is not None else 0
            scores = []
            for assignment in column.assignments:
                attempt = attempts.get((enrolment.pk, assignment.pk))
                scores.append(attempt.total_score if attempt else None)
            per_module.append(
                ModuleProgress(attended.get((enrolment.pk, module_id), 0), column.held, scores)
            )
        rows.append(
            TraineeProgress(
                enrolment,
                attended=sum(m.attended for m in per_module),
                held=sum(c.held for c in columns),
                scores=[s for m in per_module for s in m.scores],
                modules=per_module,
            )
        )
    return ProgressReport(columns, rows)


NUMBER_COLUMNS = ("applied", "accepted", "waitlisted", "rejected", "withdrawn")


def enrolment_numbers(*, user: AnyUser) -> QuerySet[Cohort]:
    """Every cohort with its applications counted by status, and how many accepted trainees
    attended at least one session and submitted at least one simulation."""
    if not permissions.can_view_numbers(user):
        return Cohort.objects.none()
    accepted = Q(enrolments__status=ApplicationStatus.ACCEPTED)
    counts = {
        status: Count("enrolments", filter=Q(enrolments__status=status), distinct=True)
        for status in NUMBER_COLUMNS
    }
    return (
        Cohort.objects.select_related("programme")
        .annotate(
            **counts,
            applications=Count("enrolments", distinct=True),
            attending=Count(
                "enrolments",
                filter=accepted & Q(enrolments__attendance__present=True),
                distinct=True,
            ),
            simulating=Count(
                "enrolments",
                filter=accepted & Q(enrolments__attempts__status=AttemptStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("starts_on", "id")
    )


@dataclass(frozen=True)
class FunnelStep:
    key: str  # stable, used as the export's column name
    label: str  # in the reader's language
    count: int


def cohort_funnel(*, cohort: Cohort) -> list[FunnelStep]:
    """One cohort (annotated by enrolment_numbers) from applications to active trainees, then
    whatever cohort_outcomes adds."""

    def n(name: str) -> int:
        return int(getattr(cohort, name))

    return [
        FunnelStep("applications", _("Applications"), n("applications")),
        FunnelStep("accepted", _("Accepted trainees"), n("accepted")),
        FunnelStep("attending", _("Attended a session"), n("attending")),
        FunnelStep("simulating", _("Submitted a simulation"), n("simulating")),
        *cohort_outcomes(cohort=cohort),
    ]


# Apps that judge outcomes (qiao.assessment: completed, certified) register here in their
# AppConfig.ready(), so training never imports them.
OUTCOME_PROVIDERS: list[Callable[[Cohort], list[FunnelStep]]] = []


def cohort_outcomes(*, cohort: Cohort) -> list[FunnelStep]:
    """The cohort's outcome steps (e.g. completed, certified) from the registered providers; the
    same keys for every cohort. Nothing is counted here."""
    return [step for provider in OUTCOME_PROVIDERS for step in provider(cohort)]
