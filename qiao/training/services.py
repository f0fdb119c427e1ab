"""Writes for the training programme. Each service checks permission, validates, writes
atomically and notifies after commit. Acceptances are counted under a row lock on the cohort,
so two decisions racing for the last place cannot both win."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.alliance.files import check_upload
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.languages import CONTENT_TO_UI, ContentLanguage
from qiao.deals.models import AgreementType, Deal, DealEventKind, DealStage
from qiao.exchange.models import Sector
from qiao.organizations.models import Organization
from qiao.resources.files import MAX_RESOURCE_BYTES, RESOURCE_TYPES
from qiao.search.collections import cases, sandbox
from qiao.search.services import search_request
from qiao.training import permissions
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    AttemptPartner,
    Attendance,
    Case,
    CaseConsent,
    CaseText,
    Cohort,
    Enrolment,
    Lecturer,
    Material,
    Module,
    SandboxOffer,
    Session,
    TimeZoneChoice,
)

LANGUAGES = ("zh", "ru", "en")

DECISIONS = (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)


def _notify_decision(enrolment: Enrolment) -> None:
    """In the decision's transaction: the applicant's notification exists exactly when the
    decision does (the e-mail leaves after commit)."""
    from qiao.training.emails import send_decision_email

    send_decision_email(enrolment)


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
    search_request(collection=cases.NAME, sources=[str(case.pk)])


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


# --- authoring: cases ---------------------------------------------------------------------------
#
# Lecturers of any cohort and the secretariat write cases in the app: the tags on the case, the
# texts one language at a time. A published case is re-indexed whenever it changes.

CASE_TEXT_FIELDS = (
    "title",
    "background",
    "parties",
    "technology",
    "obstacles",
    "outcome",
    "questions",
    "teaching_notes",
)
CASE_TEXT_REQUIRED = ("title", "background", "parties", "technology")


def _check_case_tags(stage: str, agreement_type: str) -> None:
    if stage and stage not in DealStage.values:
        raise ServiceError(_("Choose a deal stage from the list."))
    if agreement_type and agreement_type not in AgreementType.values:
        raise ServiceError(_("Choose a type of agreement from the list."))


def _clean_lessons(lessons: str) -> str:
    return ", ".join(tag.strip() for tag in lessons.split(",") if tag.strip())[:500]


def _clean_case_text(text: Mapping[str, str]) -> dict[str, str]:
    cleaned = {name: text.get(name, "").strip() for name in CASE_TEXT_FIELDS}
    if not all(cleaned[name] for name in CASE_TEXT_REQUIRED):
        raise ServiceError(
            _("Write at least the title, background, parties and technology of the case.")
        )
    return cleaned


def case_create(
    *,
    actor: User,
    language: str,
    text: Mapping[str, str],
    sectors: Iterable[Sector] = (),
    stage: str = "",
    agreement_type: str = "",
    lessons: str = "",
) -> Case:
    """A new draft case with its first text; it joins the library once published."""
    if not permissions.can_author_cases(actor):
        raise NotAllowed(_("Only lecturers and the secretariat write cases."))
    if language not in ContentLanguage.values:
        raise ServiceError(_("Choose the language you wrote in."))
    _check_case_tags(stage, agreement_type)
    fields = _clean_case_text(text)
    with transaction.atomic():
        case = Case.objects.create(
            stage=stage,
            agreement_type=agreement_type,
            lessons=_clean_lessons(lessons),
            created_by=actor,
        )
        case.sectors.set(list(sectors))
        CaseText.objects.create(case=case, language=language, **fields)
    return case


def case_update(
    *,
    actor: User,
    case: Case,
    sectors: Iterable[Sector],
    stage: str,
    agreement_type: str,
    lessons: str,
) -> Case:
    """Change a case's tags (sectors, stage reached, type of agreement, lessons)."""
    if not permissions.can_author_cases(actor):
        raise NotAllowed(_("Only lecturers and the secretariat write cases."))
    _check_case_tags(stage, agreement_type)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.stage = stage
        locked.agreement_type = agreement_type
        locked.lessons = _clean_lessons(lessons)
        locked.save()
        locked.sectors.set(list(sectors))
        if locked.published:
            _reindex_case(locked)
    return locked


def case_text_save(*, actor: User, case: Case, language: str, text: Mapping[str, str]) -> CaseText:
    """Write or rewrite the case's version in one language (one text per language)."""
    if not permissions.can_author_cases(actor):
        raise NotAllowed(_("Only lecturers and the secretariat write cases."))
    if language not in ContentLanguage.values:
        raise ServiceError(_("Choose the language you wrote in."))
    fields = _clean_case_text(text)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        case_text, _created = CaseText.objects.update_or_create(
            case=locked, language=language, defaults=fields
        )
        locked.save(update_fields=["updated_at"])
        if locked.published:
            _reindex_case(locked)
    return case_text


# --- authoring: simulation assignments ------------------------------------------------------------
#
# The cohort's lecturers and the secretariat write assignments and their sandbox pools. Every
# change to a pool re-indexes it in the sandbox index (never the live one), after commit.


def _reindex_pool(assignment: Assignment) -> None:
    search_request(collection=sandbox.NAME, sources=[str(assignment.pk)])


def _check_assignment(
    cohort: Cohort,
    module: Module | None,
    titles: Mapping[str, str],
    situations: Mapping[str, str],
    partners_due: datetime,
    deal_due: datetime,
) -> None:
    if module is not None and module.programme_id != cohort.programme_id:
        raise ServiceError(_("The module belongs to another programme."))
    if not any(titles.get(code, "").strip() for code in LANGUAGES):
        raise ServiceError(_("Write the title in at least one language."))
    if not any(situations.get(code, "").strip() for code in LANGUAGES):
        raise ServiceError(_("Describe the situation in at least one language."))
    if deal_due < partners_due:
        raise ServiceError(_("The deal deadline must not come before the partners'."))


def _set_texts(
    assignment: Assignment, titles: Mapping[str, str], situations: Mapping[str, str]
) -> None:
    for code in LANGUAGES:
        setattr(assignment, f"title_{code}", titles.get(code, "").strip())
        setattr(assignment, f"situation_{code}", situations.get(code, "").strip())


def assignment_create(
    *,
    actor: User,
    cohort: Cohort,
    module: Module | None,
    titles: Mapping[str, str],
    situations: Mapping[str, str],
    partners_due: datetime,
    deal_due: datetime,
) -> Assignment:
    """A draft assignment; trainees see it once it has a pool with a reference and is published."""
    if not permissions.can_create_assignment(actor, cohort):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat write assignments."))
    _check_assignment(cohort, module, titles, situations, partners_due, deal_due)
    assignment = Assignment(
        cohort=cohort, module=module, partners_due=partners_due, deal_due=deal_due
    )
    _set_texts(assignment, titles, situations)
    with transaction.atomic():
        assignment.save()
    return assignment


def assignment_update(
    *,
    actor: User,
    assignment: Assignment,
    module: Module | None,
    titles: Mapping[str, str],
    situations: Mapping[str, str],
    partners_due: datetime,
    deal_due: datetime,
    published: bool,
) -> Assignment:
    if not permissions.can_manage_assignment(actor, assignment):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat write assignments."))
    _check_assignment(assignment.cohort, module, titles, situations, partners_due, deal_due)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if published and not locked.offers.filter(is_reference=True).exists():
            raise ServiceError(
                _("Add offers to the pool and mark the reference solution before publishing.")
            )
        locked.module = module
        locked.partners_due = partners_due
        locked.deal_due = deal_due
        locked.published = published
        _set_texts(locked, titles, situations)
        locked.save()
        _reindex_pool(locked)
    return locked


def sandbox_offer_save(
    *,
    actor: User,
    assignment: Assignment,
    offer: SandboxOffer | None = None,
    language: str,
    organization_name: str,
    title: str,
    summary: str,
    is_reference: bool,
) -> SandboxOffer:
    """Add an offer to the pool (offer=None) or change one; any of the three languages."""
    if not permissions.can_manage_assignment(actor, assignment):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat write assignments."))
    if offer is not None and offer.assignment_id != assignment.pk:
        raise ServiceError(_("This offer is not in the assignment's pool."))
    if language not in ContentLanguage.values:
        raise ServiceError(_("Choose the language you wrote in."))
    values = {
        "organization_name": organization_name.strip(),
        "title": title.strip(),
        "summary": summary.strip(),
    }
    if not all(values.values()):
        raise ServiceError(_("Give the organisation, the title and a summary of the offer."))
    with transaction.atomic():
        if offer is None:
            offer = SandboxOffer(assignment=assignment)
        offer.language = language
        offer.organization_name = values["organization_name"]
        offer.title = values["title"]
        offer.summary = values["summary"]
        offer.is_reference = is_reference
        offer.save()
        _reindex_pool(assignment)
    return offer


def sandbox_offer_set_reference(
    *, actor: User, offer: SandboxOffer, is_reference: bool
) -> SandboxOffer:
    """Mark an offer as part of the reference solution (or not). Scores already given stay."""
    if not permissions.can_manage_assignment(actor, offer.assignment):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat write assignments."))
    with transaction.atomic():
        offer.is_reference = is_reference
        offer.save(update_fields=["is_reference"])
    return offer


def sandbox_offer_delete(*, actor: User, offer: SandboxOffer) -> None:
    """Remove an offer from the pool, unless a trainee has already chosen it."""
    assignment = offer.assignment
    if not permissions.can_manage_assignment(actor, assignment):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat write assignments."))
    with transaction.atomic():
        if AttemptPartner.objects.filter(offer=offer).exists():
            raise ServiceError(
                _("A trainee has chosen this offer in a simulation; it can no longer be removed.")
            )
        offer.delete()
        _reindex_pool(assignment)


# --- authoring: session materials -----------------------------------------------------------------
#
# Links, or files checked like teaching resources (type by extension and content, at most
# MAX_RESOURCE_BYTES), stored under a random name outside MEDIA_ROOT.


def material_add(
    *,
    actor: User,
    session: Session,
    title: str,
    language: str,
    url: str = "",
    upload: UploadedFile[Any] | None = None,
) -> Material:
    """Add a link or an uploaded file (exactly one) to a session's materials."""
    if not permissions.can_manage_materials(actor, session):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat add materials."))
    title = title.strip()
    url = url.strip()
    if not title:
        raise ServiceError(_("Give the material a title."))
    if language not in ContentLanguage.values:
        raise ServiceError(_("Choose the language of the material."))
    if bool(url) == (upload is not None):
        raise ServiceError(_("Give either a link or a file."))
    if url and not url.startswith(("https://", "http://")):
        raise ServiceError(_("The link must start with https:// or http://."))
    material = Material(session=session, title=title, language=language, url=url, added_by=actor)
    if upload is None:
        with transaction.atomic():
            material.save()
        return material
    try:
        content_type = check_upload(upload, types=RESOURCE_TYPES, max_bytes=MAX_RESOURCE_BYTES)
    except ValidationError as invalid:
        raise ServiceError(" ".join(invalid.messages)) from invalid
    name = PurePath(upload.name or "").name.strip()[:200]
    material.file_name = name
    material.content_type = content_type
    material.size = upload.size or 0
    with transaction.atomic():
        # A random stored name: the original one is only metadata, never a path.
        material.file.save(f"{uuid.uuid4().hex}{PurePath(name).suffix.lower()}", upload, save=False)
        try:
            material.save()
        except Exception:
            material.file.delete(save=False)
            raise
    return material


def material_remove(*, actor: User, material: Material) -> None:
    if not permissions.can_manage_materials(actor, material.session):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat add materials."))
    stored = material.file.name if material.file else ""
    storage = material.file.storage
    with transaction.atomic():
        material.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
