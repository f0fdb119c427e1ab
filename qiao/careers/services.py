"""Writes of the careers app. Each service checks permission, validates, writes atomically,
records the audit event and schedules side effects (indexing, e-mail) after commit."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qiao.careers import permissions
from qiao.careers.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Posting,
    PostingEvent,
    PostingStatus,
    TalentProfile,
)
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.languages import ContentLanguage
from qiao.search.collections import careers as careers_collection
from qiao.search.collections.careers import posting_key, talent_key
from qiao.search.selectors import detect_language
from qiao.search.services import search_request

if TYPE_CHECKING:
    from qiao.accounts.models import User
    from qiao.organizations.models import Organization

MAX_SKILLS = 20
MAX_SKILL_CHARS = 64
CV_TYPES = {
    ".pdf": "application/pdf",
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


# --- shared checks ---------------------------------------------------------------------------


def _language_name(code: str) -> str:
    return str(ContentLanguage(code).label) if code in ContentLanguage.values else code


def check_text_language(text: str, declared: str) -> None:
    """The declared language must be the one the text is written in."""
    detected = detect_language(text)
    if detected is None:
        raise ValidationError(
            {"language": _("The text must be written in Chinese, Russian or English.")}
        )
    if not declared:
        raise ValidationError({"language": _("Please choose the language the text is written in.")})
    if detected != declared:
        raise ValidationError(
            {
                "language": _(
                    "The text looks like %(detected)s but the language is set to %(declared)s."
                )
                % {"detected": _language_name(detected), "declared": _language_name(declared)}
            }
        )


def check_skills(skills: Iterable[str]) -> list[str]:
    out: list[str] = []
    for skill in skills:
        skill = skill.strip()
        if skill and skill.casefold() not in {s.casefold() for s in out}:
            out.append(skill)
    if len(out) > MAX_SKILLS:
        raise ValidationError(
            {"skills": _("At most %(max)d skills, please.") % {"max": MAX_SKILLS}}
        )
    too_long = [s for s in out if len(s) > MAX_SKILL_CHARS]
    if too_long:
        raise ValidationError(
            {
                "skills": _("Skills are at most %(max)d characters long: %(skill)s")
                % {"max": MAX_SKILL_CHARS, "skill": too_long[0]}
            }
        )
    return out


def check_cv(upload: UploadedFile[bytes]) -> None:
    """PDF or Word (.docx) only, checked by content as well as by name, and not too large."""
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in CV_TYPES:
        raise ValidationError({"cv": _("The CV must be a PDF or Word (.docx) file.")})
    if upload.size is None or upload.size > settings.QIAO_CV_MAX_BYTES:
        raise ValidationError(
            {
                "cv": _("The CV file is too large: at most %(mb)d MB.")
                % {"mb": settings.QIAO_CV_MAX_BYTES // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix == ".pdf":
        ok = head.startswith(b"%PDF-")
    else:
        ok = head.startswith(b"PK\x03\x04")
        if ok:
            try:
                with zipfile.ZipFile(upload) as archive:
                    ok = "word/document.xml" in archive.namelist()
            except zipfile.BadZipFile:
                ok = False
            upload.seek(0)
    if not ok:
        raise ValidationError(
            {"cv": _("The file's content is not a PDF or Word document; please check the file.")}
        )


def _check_dates(start: date, end: date | None, closes_on: date | None = None) -> None:
    errors: dict[str, str] = {}
    if end is not None and end < start:
        errors["end_date"] = _("The end date must not be before the start date.")
    if closes_on is not None:
        if closes_on < timezone.localdate():
            errors["closes_on"] = _("The closing date must not be in the past.")
        elif closes_on > start:
            # Candidates must know whether they got the place before it starts.
            errors["closes_on"] = _("Applications must close on or before the start date.")
    if errors:
        raise ValidationError(errors)


# --- postings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingData:
    kind: str
    language: str
    title: str
    description: str
    country: str
    city: str
    specialty: str
    start_date: date
    closes_on: date
    requirements: str = ""
    skills: tuple[str, ...] = ()
    min_chinese: int = 0
    min_russian: int = 0
    min_english: int = 0
    end_date: date | None = None
    duration_months: int | None = None
    pay_monthly: int | None = None
    currency: str = ""
    housing: bool = False
    visa_support: bool = False
    places: int = 1


_POSTING_FIELDS = (
    "kind",
    "language",
    "title",
    "description",
    "requirements",
    "country",
    "city",
    "specialty",
    "min_chinese",
    "min_russian",
    "min_english",
    "start_date",
    "end_date",
    "duration_months",
    "pay_monthly",
    "currency",
    "housing",
    "visa_support",
    "places",
    "closes_on",
)


def check_posting(data: PostingData) -> list[str]:
    check_text_language(f"{data.title}\n{data.description}\n{data.requirements}", data.language)
    _check_dates(data.start_date, data.end_date, data.closes_on)
    if data.pay_monthly is not None and not data.currency:
        raise ValidationError({"currency": _("Please give the currency of the pay.")})
    return check_skills(data.skills)


def _apply_posting(posting: Posting, data: PostingData, skills: list[str]) -> None:
    for name in _POSTING_FIELDS:
        setattr(posting, name, getattr(data, name))
    posting.skills = skills


def _record_posting(
    posting: Posting,
    actor: User | None,
    from_status: str,
    note: str = "",
    changed_fields: Iterable[str] = (),
) -> None:
    PostingEvent.objects.create(
        posting=posting,
        actor=actor,
        from_status=from_status,
        to_status=posting.status,
        note=note,
        changed_fields=list(changed_fields),
    )


def _schedule_posting_index(posting_id: int) -> None:
    """In the posting's transaction: indexing it (and re-matching the talent pool against it
    once published, qiao.search.collections.careers) commits with the change."""
    search_request(collection=careers_collection.NAME, sources=[posting_key(posting_id)])


def posting_create(*, actor: User, employer: Organization, data: PostingData) -> Posting:
    if not permissions.can_manage_postings(actor, employer):
        raise NotAllowed(_("You may not create postings for this organisation."))
    skills = check_posting(data)
    posting = Posting(employer=employer, created_by=actor, status=PostingStatus.DRAFT)
    _apply_posting(posting, data, skills)
    with transaction.atomic():
        posting.full_clean()
        posting.save()
        _record_posting(posting, actor, "")
    return posting


# What the secretariat approved and the matcher ranks on: changing any of these on a published
# posting is a new posting in substance (pay, places, conditions and the closing date are not).
SUBSTANCE_FIELDS = (
    "kind",
    "language",
    "title",
    "description",
    "requirements",
    "specialty",
    "country",
    "city",
    "skills",
    "min_chinese",
    "min_russian",
    "min_english",
    "start_date",
    "end_date",
    "duration_months",
)


def posting_substance_changes(posting: Posting, data: PostingData, skills: list[str]) -> list[str]:
    """The substance fields whose value the edit would change."""
    new = {name: getattr(data, name) for name in SUBSTANCE_FIELDS if name != "skills"}
    new["skills"] = skills
    return [name for name in SUBSTANCE_FIELDS if getattr(posting, name) != new[name]]


def posting_update(*, actor: User, posting: Posting, data: PostingData) -> Posting:
    """Save an edit. An employer who changes the substance of a published posting (text,
    requirements, dates) sends it back to review: it leaves the public list and the index until
    the secretariat publishes it again, which re-matches the talent pool. The secretariat's own
    edits stay published and re-match at once."""
    if not permissions.can_edit_posting(actor, posting):
        raise NotAllowed(_("You may not edit this posting."))
    skills = check_posting(data)
    with transaction.atomic():
        locked = Posting.objects.select_for_update().get(pk=posting.pk)
        if not permissions.can_edit_posting(actor, locked):
            raise NotAllowed(_("You may not edit this posting."))
        changed = posting_substance_changes(locked, data, skills)
        _apply_posting(locked, data, skills)
        locked.full_clean()
        was_published = locked.status == PostingStatus.PUBLISHED
        if was_published and changed and not actor.is_secretariat:
            locked.status = PostingStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.save()
            _record_posting(locked, actor, PostingStatus.PUBLISHED, changed_fields=changed)
            _schedule_posting_index(locked.pk)  # takes it out of the index until re-published
        else:
            locked.save()
            if was_published:
                _schedule_posting_index(locked.pk)
    posting.refresh_from_db()
    return posting


def _posting_transition(
    posting: Posting,
    *,
    actor: User | None,
    allowed_from: Iterable[str],
    to: str,
    note: str = "",
    **updates: Any,
) -> Posting:
    with transaction.atomic():
        locked = Posting.objects.select_for_update().get(pk=posting.pk)
        if locked.status not in allowed_from:
            raise ServiceError(
                _("This action is not possible while the posting is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        from_status = locked.status
        locked.status = to
        for name, value in updates.items():
            setattr(locked, name, value)
        locked.save()
        _record_posting(locked, actor, from_status, note)
        if to == PostingStatus.PUBLISHED or from_status == PostingStatus.PUBLISHED:
            _schedule_posting_index(locked.pk)
    posting.refresh_from_db()
    return posting


def posting_submit(*, actor: User, posting: Posting) -> Posting:
    if not permissions.can_edit_posting(actor, posting):
        raise NotAllowed(_("You may not submit this posting."))
    if posting.closes_on < timezone.localdate():
        raise ServiceError(_("The closing date has passed; please change it first."))
    return _posting_transition(
        posting,
        actor=actor,
        allowed_from=(PostingStatus.DRAFT, PostingStatus.REJECTED),
        to=PostingStatus.SUBMITTED,
        submitted_at=timezone.now(),
        rejection_reason="",
    )


def posting_publish(*, actor: User, posting: Posting) -> Posting:
    if not permissions.can_review_postings(actor):
        raise NotAllowed(_("Only the secretariat may publish postings."))
    return _posting_transition(
        posting,
        actor=actor,
        allowed_from=(PostingStatus.SUBMITTED,),
        to=PostingStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def posting_reject(*, actor: User, posting: Posting, reason: str) -> Posting:
    if not permissions.can_review_postings(actor):
        raise NotAllowed(_("Only the secretariat may reject postings."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the rejection.")})
    return _posting_transition(
        posting,
        actor=actor,
        allowed_from=(PostingStatus.SUBMITTED,),
        to=PostingStatus.REJECTED,
        note=reason,
        rejection_reason=reason,
    )


def posting_close(*, actor: User, posting: Posting) -> Posting:
    if not permissions.can_manage_postings(actor, posting.employer):
        raise NotAllowed(_("You may not close this posting."))
    return _posting_transition(
        posting, actor=actor, allowed_from=(PostingStatus.PUBLISHED,), to=PostingStatus.CLOSED
    )


def postings_expire_due(*, today: date | None = None) -> int:
    """Expire published postings whose closing date has passed; run daily."""
    today = today or timezone.localdate()
    count = 0
    for posting in Posting.objects.filter(status=PostingStatus.PUBLISHED, closes_on__lt=today):
        _posting_transition(
            posting,
            actor=None,
            allowed_from=(PostingStatus.PUBLISHED,),
            to=PostingStatus.EXPIRED,
            note="expired",
        )
        count += 1
    return count


# --- talent profiles -------------------------------------------------------------------------


@dataclass(frozen=True)
class TalentData:
    institution: Organization
    language: str
    headline: str
    specialty: str
    study_level: str
    skills: tuple[str, ...] = ()
    experience: str = ""
    chinese_level: int = 0
    russian_level: int = 0
    english_level: int = 0
    preferred_countries: tuple[str, ...] = ()
    available_from: date | None = None
    available_to: date | None = None
    in_talent_pool: bool = False
    allowed_employers: tuple[Organization, ...] = ()


def talent_profile_save(
    *,
    actor: User,
    data: TalentData,
    cv: UploadedFile[bytes] | None = None,
    remove_cv: bool = False,
) -> TalentProfile:
    """Create or update the actor's own profile (one per user)."""
    if not permissions.is_candidate(actor):
        raise NotAllowed(_("Only students and graduates keep a talent profile."))
    check_text_language(f"{data.headline}\n{data.specialty}\n{data.experience}", data.language)
    skills = check_skills(data.skills)
    if data.available_from and data.available_to and data.available_to < data.available_from:
        raise ValidationError(
            {"available_to": _("The end of your availability must not be before its start.")}
        )
    if cv is not None:
        check_cv(cv)
    profile = TalentProfile.objects.filter(user=actor).first() or TalentProfile(user=actor)
    old_cv = profile.cv.name if profile.cv else ""
    for name in (
        "institution",
        "language",
        "headline",
        "specialty",
        "study_level",
        "experience",
        "chinese_level",
        "russian_level",
        "english_level",
        "available_from",
        "available_to",
        "in_talent_pool",
    ):
        setattr(profile, name, getattr(data, name))
    profile.skills = skills
    profile.preferred_countries = list(data.preferred_countries)
    if remove_cv and cv is None:
        profile.cv = ""
        profile.cv_name = ""
    # Validate before the CV file touches the disk, so a refused profile leaves no file behind.
    profile.full_clean(exclude=["allowed_employers", "cv", "user"])
    written = ""
    try:
        with transaction.atomic():
            if cv is not None:
                profile.cv_name = (cv.name or "cv").rsplit("/", 1)[-1][:255]
                profile.cv.save(cv.name or "cv.pdf", cv, save=False)
                written = profile.cv.name or ""
            profile.save()
            profile.allowed_employers.set(data.allowed_employers)
            if old_cv and old_cv != (profile.cv.name if profile.cv else ""):
                transaction.on_commit(lambda: _delete_cv_file(old_cv))
            search_request(collection=careers_collection.NAME, sources=[talent_key(profile.pk)])
    except BaseException:
        if written:
            _delete_cv_file(written)  # the row was rolled back: do not keep its file
        raise
    return profile


def _delete_cv_file(name: str) -> None:
    from qiao.careers.models import cv_storage

    cv_storage().delete(name)


# --- applications ----------------------------------------------------------------------------


def _employer_staff(posting: Posting) -> list[User]:
    from qiao.accounts.models import User

    return list(User.objects.filter(organization_id=posting.employer_id, is_active=True))


def _notify_status(application: Application, actor: User) -> None:
    """Tell the other side about the new status, each in their own language (in the caller's
    transaction; the e-mails leave after commit)."""
    from qiao.careers import notifications

    app = Application.objects.select_related("posting__employer", "candidate").get(
        pk=application.pk
    )
    context = {"application": app, "posting": app.posting}
    url = reverse("careers:application", args=[app.pk])
    if app.candidate_id is not None and app.candidate_id != actor.pk:
        assert app.candidate is not None
        notifications.send_to(app.candidate, "status_changed", context, url=url)
    if app.candidate_id == actor.pk:
        notifications.send_to_all(
            _employer_staff(app.posting), "candidate_update", context, url=url
        )


def _record_application(application: Application, actor: User | None, from_status: str) -> None:
    ApplicationEvent.objects.create(
        application=application, actor=actor, from_status=from_status, to_status=application.status
    )


def application_submit(
    *, actor: User, posting: Posting, cover_letter: str, cover_letter_language: str = ""
) -> Application:
    if not permissions.can_apply(actor, posting):
        raise NotAllowed(_("You may not apply to this posting."))
    if posting.closes_on < timezone.localdate():
        raise ServiceError(_("Applications for this posting are closed."))
    if not TalentProfile.objects.filter(user=actor).exists():
        raise ServiceError(_("Please fill in your talent profile before applying."))
    cover_letter = cover_letter.strip()
    if cover_letter:
        # Left blank (an API client may), the letter's language is the one it is written in.
        cover_letter_language = cover_letter_language or detect_language(cover_letter) or ""
        check_text_language(cover_letter, cover_letter_language)
    with transaction.atomic():
        if (
            Application.objects.select_for_update()
            .filter(posting=posting, candidate=actor)
            .exists()
        ):
            raise ServiceError(_("You have already applied to this posting."))
        application = Application.objects.create(
            posting=posting,
            candidate=actor,
            cover_letter=cover_letter,
            cover_letter_language=cover_letter_language if cover_letter else "",
        )
        _record_application(application, actor, "")
        _notify_status(application, actor)
    return application


def application_set_status(*, actor: User, application: Application, status: str) -> Application:
    if status not in ApplicationStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if permissions.application_side(actor, application) is None:
        raise NotAllowed(pgettext("careers", "You may not change this application."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        locked.posting = application.posting
        if status not in permissions.allowed_transitions(actor, locked):
            raise ServiceError(
                _("This change is not possible while the application is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        from_status = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        _record_application(locked, actor, from_status)
        _notify_status(locked, actor)
    application.refresh_from_db()
    return application


def application_mark_viewed(*, actor: User, application: Application) -> Application:
    """The employer opened a submitted application."""
    if (
        application.status == ApplicationStatus.SUBMITTED
        and permissions.application_side(actor, application) == "employer"
    ):
        return application_set_status(
            actor=actor, application=application, status=ApplicationStatus.VIEWED
        )
    return application
