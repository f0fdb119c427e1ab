"""Writes for the training programme. Each service checks permission, validates, writes
atomically and notifies after commit. Acceptances are counted under a row lock on the cohort,
so two decisions racing for the last place cannot both win."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.languages import CONTENT_TO_UI, ContentLanguage
from qiao.deals.models import AgreementType, Deal, DealEventKind, DealStage
from qiao.organizations.models import Organization
from qiao.training import permissions
from qiao.training.models import (
    ApplicationStatus,
    Attendance,
    Case,
    CaseConsent,
    CaseText,
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


# --- case library -----------------------------------------------------------------------------


def _reindex_case(case: Case) -> None:
    from qiao.training.tasks import index_case

    case_id = case.pk
    transaction.on_commit(lambda: index_case.enqueue(case_id))


def case_publish(*, actor: User, case: Case, published: bool) -> Case:
    if not permissions.can_teach_cases(actor):
        raise NotAllowed(_("Only lecturers and the secretariat publish cases."))
    if published and not case.texts.exists():
        raise ServiceError(_("Write the case in at least one language first."))
    with transaction.atomic():
        case.published = published
        case.save(update_fields=["published", "updated_at"])
        _reindex_case(case)
    return case


def case_consent(*, actor: User, deal: Deal) -> CaseConsent:
    if not permissions.can_consent_to_case(actor, deal):
        raise NotAllowed(_("Only the parties of a won deal consent to a teaching case."))
    organization_id = actor.organization_id
    assert organization_id is not None  # a party's representative (checked above)
    with transaction.atomic():
        consent, _created = CaseConsent.objects.get_or_create(
            deal=deal, organization_id=organization_id, defaults={"given_by": actor}
        )
    return consent


def _anonymous(organization: Organization) -> str:
    return _("a %(kind)s in %(country)s") % {
        "kind": organization.get_kind_display().lower(),
        "country": organization.get_country_display(),
    }


def _scrub(text: str, organizations: list[Organization]) -> str:
    """Remove the parties' names (in every language they are written in) from a text."""
    for organization in organizations:
        for name in (organization.name_zh, organization.name_ru, organization.name_en):
            if name.strip():
                text = text.replace(name, _("[party]"))
    return text


def case_from_deal(*, actor: User, deal: Deal) -> Case:
    """A draft case from a won deal, in the profile's language, with the parties anonymised."""
    if not permissions.can_turn_deal_into_case(actor, deal):
        raise NotAllowed(_("Only the deal's technology manager or the secretariat may do this."))
    consenting = set(
        CaseConsent.objects.filter(deal=deal).values_list("organization_id", flat=True)
    )
    if not {deal.owner_id, deal.partner_id} <= consenting:
        raise ServiceError(_("Both parties must consent before the deal becomes a case."))
    profile = deal.profile
    owner, partner = deal.owner, deal.partner
    parties = [owner, partner]
    with transaction.atomic(), translation.override(CONTENT_TO_UI[profile.language]):
        locked = Deal.objects.select_for_update().get(pk=deal.pk)
        if Case.objects.filter(source_deal=locked).exists():
            raise ServiceError(_("This deal is already a case."))
        case = Case.objects.create(
            source_deal=locked,
            stage=locked.stage,
            agreement_type=locked.agreement_type,
            created_by=actor,
        )
        case.sectors.set(profile.sectors.all())
        values = {"owner": _anonymous(owner), "partner": _anonymous(partner)}
        stages = [
            str(DealStage(event.new_value).label)
            for event in locked.events.filter(
                kind__in=[DealEventKind.OPENED, DealEventKind.STAGE]
            ).order_by("created_at", "id")
            if event.new_value in DealStage.values
        ]
        outcome = [_("The deal went through: %(stages)s.") % {"stages": " → ".join(stages)}]
        if locked.agreement_type:
            outcome.append(
                _("Agreement: %(type)s.") % {"type": AgreementType(locked.agreement_type).label}
            )
        CaseText.objects.create(
            case=case,
            language=profile.language,
            title=_scrub(profile.title, parties),
            background=_scrub(f"{profile.summary}\n\n{profile.description}", parties),
            parties=_("Profile owner: %(owner)s. Partner: %(partner)s.") % values,
            technology=_scrub(profile.title, parties),
            outcome="\n".join(outcome),
        )
    return case
