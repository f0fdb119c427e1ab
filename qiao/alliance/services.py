"""Writes to alliance membership. Each service checks permission, validates, writes atomically
with its history event, and sends e-mails (in the applicant's language) after commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qiao.accounts.models import Role, User
from qiao.alliance import files, permissions
from qiao.alliance.models import (
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    Membership,
    MembershipApplication,
    MembershipStatus,
    ProspectStage,
    Specialty,
)
from qiao.core.errors import NotAllowed, ServiceError
from qiao.organizations.models import Organization
from qiao.search.collections import organisations
from qiao.search.services import search_request

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

MAX_DOCUMENTS = 8


@dataclass(frozen=True)
class ApplicationData:
    """Validated fields of the public application form."""

    name_zh: str
    name_ru: str
    name_en: str
    kind: str
    country: str
    region: str
    city: str
    website: str
    description: str
    description_language: str
    motivation: str
    rep_name: str
    rep_position: str
    rep_email: str
    rep_phone: str
    language: str
    specialties: tuple[Specialty, ...] = ()


@dataclass(frozen=True)
class Upload:
    kind: str
    file: UploadedFile[Any]


def _record(
    application: MembershipApplication, actor: User | None, from_status: str, message: str = ""
) -> None:
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=from_status,
        to_status=application.status,
        message=message,
    )


def _send_after_commit(application: MembershipApplication, kind: str) -> None:
    """In the caller's transaction: the secretariat's and the new representative's
    notifications exist exactly when the change does; every e-mail leaves after commit."""
    from qiao.alliance.emails import send_application_email

    send_application_email(application, kind)


def _attach(application: MembershipApplication, uploads: Sequence[Upload]) -> None:
    if application.documents.count() + len(uploads) > MAX_DOCUMENTS:
        raise ServiceError(
            ngettext(
                "An application may hold at most %(count)d document.",
                "An application may hold at most %(count)d documents.",
                MAX_DOCUMENTS,
            )
            % {"count": MAX_DOCUMENTS}
        )
    for upload in uploads:
        content_type = files.check_document(upload.file)
        ApplicationDocument.objects.create(
            application=application,
            kind=upload.kind,
            file=upload.file,
            original_name=(upload.file.name or "")[:255],
            content_type=content_type,
            size=upload.file.size or 0,
        )


def application_submit(
    *, data: ApplicationData, uploads: Sequence[Upload], is_sample: bool = False
) -> MembershipApplication:
    """The public form: anyone may apply. Files are checked before anything is written."""
    for upload in uploads:
        files.check_document(upload.file)
    application = MembershipApplication(
        name_zh=data.name_zh,
        name_ru=data.name_ru,
        name_en=data.name_en,
        kind=data.kind,
        country=data.country,
        region=data.region,
        city=data.city,
        website=data.website,
        description=data.description,
        description_language=data.description_language,
        motivation=data.motivation,
        rep_name=data.rep_name,
        rep_position=data.rep_position,
        rep_email=data.rep_email,
        rep_phone=data.rep_phone,
        language=data.language,
        is_sample=is_sample,
    )
    with transaction.atomic():
        application.full_clean()
        application.save()
        application.specialties.set(data.specialties)
        _attach(application, uploads)
        _record(application, None, "")
        _send_after_commit(application, "received")
    return application


def application_respond(
    *, application: MembershipApplication, message: str, uploads: Sequence[Upload]
) -> MembershipApplication:
    """The applicant answers a request for more information (authorised by the token)."""
    message = message.strip()
    if not message:
        raise ServiceError(_("Please write your answer."))
    with transaction.atomic():
        locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.MORE_INFO:
            raise ServiceError(_("This application is not waiting for more information."))
        _attach(locked, uploads)
        locked.status = ApplicationStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        _record(locked, None, ApplicationStatus.MORE_INFO, message)
    return locked


def _decide(
    application: MembershipApplication, *, actor: User, to: str, message: str
) -> MembershipApplication:
    if not permissions.can_review_applications(actor):
        raise NotAllowed(_("Only the secretariat reviews membership applications."))
    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if not locked.is_open:
        raise ServiceError(
            _("This application has already been decided: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    if locked.status == to:
        raise ServiceError(_("More information has already been requested."))
    from_status = locked.status
    locked.status = to
    if to in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        locked.decided_at = timezone.now()
        locked.decided_by = actor
    if to == ApplicationStatus.REJECTED:
        locked.decision_reason = message
    _record(locked, actor, from_status, message)
    return locked


def application_request_info(
    *, actor: User, application: MembershipApplication, message: str
) -> MembershipApplication:
    message = message.strip()
    if not message:
        raise ServiceError(_("Please say what information is missing."))
    with transaction.atomic():
        locked = _decide(application, actor=actor, to=ApplicationStatus.MORE_INFO, message=message)
        locked.save(update_fields=["status", "updated_at"])
        _send_after_commit(locked, "more_info")
    return locked


def application_reject(
    *, actor: User, application: MembershipApplication, reason: str
) -> MembershipApplication:
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Please give the reason for the rejection."))
    with transaction.atomic():
        locked = _decide(application, actor=actor, to=ApplicationStatus.REJECTED, message=reason)
        locked.save()
        _send_after_commit(locked, "rejected")
    return locked


def _matching_organization(application: MembershipApplication) -> Organization | None:
    same_name = Q(pk__in=[])
    for field in ("name_zh", "name_ru", "name_en"):
        value = getattr(application, field)
        if value:
            same_name |= Q(**{field: value})
    return Organization.objects.filter(same_name, country=application.country).first()


def _representative_for(application: MembershipApplication, organization: Organization) -> User:
    email = application.rep_email.lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing and existing.organization_id in (None, organization.pk):
        user = existing
    else:
        username = email
        n = 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{email}-{n}"
        user = User(username=username, email=email)
        user.set_unusable_password()
    first, _sep, last = application.rep_name.strip().partition(" ")
    user.first_name = user.first_name or first[:150]
    user.last_name = user.last_name or last[:150]
    if not (user.is_secretariat or user.is_broker):
        user.role = Role.REPRESENTATIVE
    user.organization = organization
    user.preferred_language = application.language
    user.save()
    return user


def application_approve(
    *, actor: User, application: MembershipApplication, message: str = ""
) -> MembershipApplication:
    """Make the organisation a member: reuse it when it is already known (e.g. a prospective
    member), otherwise create it; give its representative an account."""
    with transaction.atomic():
        locked = _decide(
            application, actor=actor, to=ApplicationStatus.APPROVED, message=message.strip()
        )
        organization = _matching_organization(locked)
        if organization is None:
            organization = Organization(
                name_zh=locked.name_zh,
                name_ru=locked.name_ru,
                name_en=locked.name_en,
                kind=locked.kind,
                country=locked.country,
                city=locked.city,
                website=locked.website,
                description=locked.description,
                description_language=locked.description_language,
                is_sample=locked.is_sample,
            )
            organization.full_clean(exclude=["key"])
            organization.save()
            search_request(collection=organisations.NAME, sources=[str(organization.pk)])
        membership = Membership.objects.filter(organization=organization).first()
        if membership is not None and membership.status == MembershipStatus.MEMBER:
            raise ServiceError(_("This organisation is already a member of the alliance."))
        membership = membership or Membership(organization=organization)
        membership.status = MembershipStatus.MEMBER
        membership.stage = ""
        membership.joined_on = timezone.localdate()
        membership.region = locked.region
        membership.contact_name = locked.rep_name
        membership.contact_email = locked.rep_email
        membership.is_sample = locked.is_sample
        membership.save()
        membership.specialties.add(*locked.specialties.all())
        locked.organization = organization
        locked.representative = _representative_for(locked, organization)
        locked.save()
        _send_after_commit(locked, "approved")
    return locked


# --- prospective members --------------------------------------------------------------------


def prospect_add(
    *,
    actor: User | AnonymousUser,
    organization: Organization,
    stage: str = ProspectStage.IDENTIFIED,
    region: str = "",
    notes: str = "",
    is_sample: bool = False,
) -> Membership:
    if not permissions.can_manage_prospects(actor):
        raise NotAllowed(_("Only the secretariat manages prospective members."))
    if stage not in ProspectStage.values:
        raise ServiceError(_("Unknown pipeline stage."))
    try:
        with transaction.atomic():
            return Membership.objects.create(
                organization=organization,
                status=MembershipStatus.PROSPECTIVE,
                stage=stage,
                region=region,
                notes=notes,
                is_sample=is_sample,
            )
    except IntegrityError as clash:
        raise ServiceError(
            _("This organisation is already a member or a prospective member.")
        ) from clash


def prospect_set_stage(
    *, actor: User | AnonymousUser, membership: Membership, stage: str, note: str = ""
) -> Membership:
    if not permissions.can_manage_prospects(actor):
        raise NotAllowed(_("Only the secretariat manages prospective members."))
    if stage not in ProspectStage.values:
        raise ServiceError(_("Unknown pipeline stage."))
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status != MembershipStatus.PROSPECTIVE:
            raise ServiceError(_("Only prospective members move through the pipeline."))
        locked.stage = stage
        note = note.strip()
        if note:
            stamp = date.today().isoformat()
            locked.notes = f"{locked.notes}\n{stamp}: {note}".strip()
        locked.save(update_fields=["stage", "notes", "updated_at"])
    return locked


@dataclass(frozen=True)
class ProspectData:
    name_zh: str
    name_ru: str
    name_en: str
    kind: str
    country: str
    region: str = ""
    city: str = ""
    stage: str = ProspectStage.IDENTIFIED
    notes: str = ""


def prospect_create(*, actor: User | AnonymousUser, data: ProspectData) -> Membership:
    """A new organisation entered straight into the pipeline."""
    if not permissions.can_manage_prospects(actor):
        raise NotAllowed(_("Only the secretariat manages prospective members."))
    with transaction.atomic():
        organization = Organization(
            name_zh=data.name_zh,
            name_ru=data.name_ru,
            name_en=data.name_en,
            kind=data.kind,
            country=data.country,
            city=data.city,
        )
        organization.full_clean(exclude=["key"])
        organization.save()
        return prospect_add(
            actor=actor,
            organization=organization,
            stage=data.stage,
            region=data.region,
            notes=data.notes,
        )
