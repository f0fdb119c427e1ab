"""Writes for the training programme. Each service checks permission, validates, writes
atomically and notifies after commit. Acceptances are counted under a row lock on the cohort,
so two decisions racing for the last place cannot both win."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.languages import ContentLanguage
from qiao.training import permissions
from qiao.training.models import (
    ApplicationStatus,
    Attendance,
    Cohort,
    Enrolment,
    Lecturer,
    Module,
    Session,
    TimeZoneChoice,
)

DECISIONS = (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)


def _notify_decision(enrolment: Enrolment) -> None:
    from qiao.training.tasks import send_decision_email

    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: send_decision_email.enqueue(enrolment_id))


def local_to_utc(day: date, at: time, time_zone: str) -> datetime:
    """A wall-clock time where the session is held → an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(time_zone)).astimezone(ZoneInfo("UTC"))


# --- applications ----------------------------------------------------------------------------


def enrolment_apply(
    *, actor: User, cohort: Cohort, motivation: str, motivation_language: str
) -> Enrolment:
    if not permissions.can_apply(actor, cohort):
        raise NotAllowed(_("You may not apply to this cohort."))
    motivation = motivation.strip()
    if not motivation:
        raise ServiceError(_("Tell us why you want to join."))
    if motivation_language not in ContentLanguage.values:
        raise ServiceError(_("Choose the language you wrote in."))
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if Enrolment.objects.filter(cohort=locked, user=actor).exists():
            raise ServiceError(_("You have already applied to this cohort."))
        return Enrolment.objects.create(
            cohort=locked,
            user=actor,
            motivation=motivation,
            motivation_language=motivation_language,
        )


def enrolment_withdraw(*, actor: User, enrolment: Enrolment) -> Enrolment:
    if not permissions.can_withdraw(actor, enrolment):
        raise NotAllowed(_("You may not withdraw this application."))
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
    return locked


def enrolment_decide(
    *, actor: User, enrolment: Enrolment, status: str, reason: str = ""
) -> Enrolment:
    if not permissions.can_manage_cohort(actor):
        raise NotAllowed(_("Only the secretariat decides on applications."))
    if status not in DECISIONS:
        raise ServiceError(_("Choose accept, waiting list or reject."))
    reason = reason.strip()
    if status == ApplicationStatus.REJECTED and not reason:
        raise ServiceError(_("Give a reason for the rejection."))
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=enrolment.cohort_id)
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.status == ApplicationStatus.WITHDRAWN:
            raise ServiceError(_("The applicant has withdrawn."))
        if locked.status == status:
            raise ServiceError(_("The application already has this status."))
        if status == ApplicationStatus.ACCEPTED:
            accepted = cohort.enrolments.filter(status=ApplicationStatus.ACCEPTED).count()
            if accepted >= cohort.capacity:
                raise ServiceError(
                    _(
                        "The cohort is full (%(capacity)s places): "
                        "put the applicant on the waiting list."
                    )
                    % {"capacity": cohort.capacity}
                )
        locked.status = status
        locked.reason = reason
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save()
        _notify_decision(locked)
    return locked


# --- sessions ----------------------------------------------------------------------------------


def session_create(
    *,
    actor: User,
    cohort: Cohort,
    module: Module,
    titles: Mapping[str, str],
    day: date,
    start: time,
    end: time,
    time_zone: str,
    place: str = "",
    online_link: str = "",
    lecturers: list[Lecturer] | tuple[Lecturer, ...] = (),
) -> Session:
    """Times are entered as the clock shows them where the session is held."""
    if not permissions.can_manage_cohort(actor):
        raise NotAllowed(_("Only the secretariat plans sessions."))
    if time_zone not in TimeZoneChoice.values:
        raise ServiceError(_("Choose the time zone the session is held in."))
    if module.programme_id != cohort.programme_id:
        raise ServiceError(_("The module belongs to another programme."))
    if any(lecturer.cohort_id != cohort.pk for lecturer in lecturers):
        raise ServiceError(_("Every lecturer must teach in this cohort."))
    if not any(v.strip() for v in titles.values()):
        raise ServiceError(_("Write the title in at least one language."))
    if not (place.strip() or online_link.strip()):
        raise ServiceError(_("Give a place or an online link."))
    starts_at = local_to_utc(day, start, time_zone)
    ends_at = local_to_utc(day, end, time_zone)
    if ends_at <= starts_at:
        raise ServiceError(_("The end must come after the start."))
    with transaction.atomic():
        session = Session.objects.create(
            cohort=cohort,
            module=module,
            title_zh=titles.get("zh", "").strip(),
            title_ru=titles.get("ru", "").strip(),
            title_en=titles.get("en", "").strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=time_zone,
            place=place.strip(),
            online_link=online_link.strip(),
        )
        session.lecturers.set(lecturers)
    return session


def attendance_record(
    *, actor: User, session: Session, present: Mapping[int, bool]
) -> list[Attendance]:
    """Record who was there; `present` maps each accepted enrolment's id to a yes or no."""
    if not permissions.can_record_attendance(actor, session):
        raise NotAllowed(_("Only the session's lecturers record attendance."))
    if session.starts_at > timezone.now():
        raise ServiceError(_("Attendance can be recorded once the session has started."))
    trainees = set(
        session.cohort.enrolments.filter(status=ApplicationStatus.ACCEPTED).values_list(
            "pk", flat=True
        )
    )
    unknown = set(present) - trainees
    if unknown:
        raise ServiceError(_("Attendance can only be recorded for the cohort's trainees."))
    with transaction.atomic():
        rows = []
        for enrolment_id, here in sorted(present.items()):
            row, _created = Attendance.objects.update_or_create(
                session=session,
                enrolment_id=enrolment_id,
                defaults={"present": here, "recorded_by": actor},
            )
            rows.append(row)
    return rows
