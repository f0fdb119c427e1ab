"""Writes to teaching resources: permission, validation, atomic writes; versions are added,
never replaced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.alliance.models import Membership, MembershipStatus
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.names import user_name
from qiao.resources import permissions
from qiao.resources.files import check_resource_file
from qiao.resources.models import (
    Authorship,
    AuthorStatus,
    ChangeAction,
    Resource,
    ResourceChange,
    ResourceVersion,
)
from qiao.search.collections import resources as resources_collection
from qiao.search.services import search_request

if TYPE_CHECKING:
    from qiao.organizations.models import Organization


@dataclass(frozen=True)
class Content:
    """One version's content: an uploaded file or a link."""

    file: UploadedFile[Any] | None = None
    url: str = ""
    note: str = ""


# Fields of a resource its editors change (the content changes through versions).
EDITABLE = (
    "title",
    "description",
    "title_zh",
    "title_ru",
    "title_en",
    "description_zh",
    "description_ru",
    "description_en",
    "language",
    "specialty",
    "level",
    "licence",
    "co_developed",
)


def _log(
    resource: Resource, actor: User, action: str, *, fields: list[str] | None = None, note: str = ""
) -> None:
    ResourceChange.objects.create(
        resource=resource, actor=actor, action=action, fields=fields or [], note=note[:2000]
    )


def _reindex(resource: Resource) -> None:
    """In the change's transaction: the search request commits with it."""
    search_request(collection=resources_collection.NAME, sources=[str(resource.pk)])


def _email_invitation(authorship: Authorship) -> None:
    """In the invitation's transaction (the e-mail leaves after commit)."""
    from qiao.resources.emails import send_invitation_email

    send_invitation_email(authorship)


def _check_organizations(
    actor: User, organizations: list[Organization], *, had: set[int] | None = None
) -> None:
    """At least one organisation; a representative keeps their own organisation among them
    (on a new resource, or when it was already there)."""
    if not organizations:
        raise ValidationError({"organizations": _("Choose at least one member organisation.")})
    if actor.is_secretariat or actor.organization_id in {o.pk for o in organizations}:
        return
    if had is None or actor.organization_id in had:
        raise ValidationError(
            {"organizations": _("Include your own organisation among the organisations.")}
        )


def _refuse_if_withdrawn(resource: Resource) -> None:
    if resource.withdrawn_at is not None:
        raise ServiceError(_("This resource was withdrawn; put it back in the library first."))


def _add_version(resource: Resource, actor: User, content: Content) -> ResourceVersion:
    if bool(content.file) == bool(content.url):
        raise ValidationError(_("Give either a file or a link, not both."))
    version = ResourceVersion(resource=resource, created_by=actor, note=content.note.strip())
    if content.file:
        version.content_type = check_resource_file(content.file)
        version.original_name = (content.file.name or "")[:255]
        version.size = content.file.size or 0
        version.file = content.file
    else:
        version.url = content.url
    latest = resource.versions.aggregate(n=Max("number"))["n"] or 0
    version.number = latest + 1
    version.full_clean(exclude=["file"])
    version.save()
    return version


def resource_publish(
    *,
    actor: User,
    resource: Resource,
    organizations: list[Organization],
    content: Content,
) -> Resource:
    if not permissions.can_publish(actor):
        raise NotAllowed(_("Only member organisations and the secretariat publish resources."))
    _check_organizations(actor, organizations)
    if content.file:
        check_resource_file(content.file)  # before anything is written
    with transaction.atomic():
        resource.created_by = actor
        resource.co_developed = resource.co_developed or len(organizations) > 1
        resource.full_clean()
        resource.save()
        resource.organizations.set(organizations)
        Authorship.objects.create(
            resource=resource, user=actor, status=AuthorStatus.ACCEPTED, invited_by=actor
        )
        _add_version(resource, actor, content)
        _log(resource, actor, ChangeAction.PUBLISHED)
        _reindex(resource)
    return resource


def resource_update(
    *, actor: User, resource: Resource, organizations: list[Organization]
) -> Resource:
    """Change a resource's description (texts, language, specialty, level, licence,
    organisations, co-developed mark). The history records who changed which fields; the
    content changes through new versions."""
    if not permissions.can_edit(actor, resource):
        raise NotAllowed(_("Only the authors and their organisations change a resource."))
    with transaction.atomic():
        stored = Resource.objects.select_for_update().get(pk=resource.pk)
        _refuse_if_withdrawn(stored)
        before = set(stored.organizations.values_list("pk", flat=True))
        _check_organizations(actor, organizations, had=before)
        after = {o.pk for o in organizations}
        if len(after) > 1:
            resource.co_developed = True
        # Browsers send CRLF line ends from text areas; a resend is not a change.
        for name in ("description", "description_zh", "description_ru", "description_en"):
            setattr(resource, name, getattr(resource, name).replace("\r\n", "\n"))
        changed = [name for name in EDITABLE if getattr(stored, name) != getattr(resource, name)]
        if before != after:
            changed.append("organizations")
        if not changed:
            return stored
        for name in EDITABLE:
            setattr(stored, name, getattr(resource, name))
        stored.full_clean()
        stored.save()
        stored.organizations.set(organizations)
        _log(stored, actor, ChangeAction.EDITED, fields=changed)
        _reindex(stored)
    return stored


def resource_withdraw(*, actor: User, resource: Resource, reason: str) -> Resource:
    """Take a resource out of the library and the search; its page, versions and history
    stay, and only its editors may still download it."""
    if not permissions.can_edit(actor, resource):
        raise NotAllowed(_("Only the authors and their organisations withdraw a resource."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Please give the reason for the withdrawal."))
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        _refuse_if_withdrawn(locked)
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
        _log(locked, actor, ChangeAction.WITHDRAWN, note=reason)
        _reindex(locked)
    return locked


def resource_restore(*, actor: User, resource: Resource) -> Resource:
    if not permissions.can_edit(actor, resource):
        raise NotAllowed(_("Only the authors and their organisations withdraw a resource."))
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        if locked.withdrawn_at is None:
            raise ServiceError(_("This resource is in the library."))
        locked.withdrawn_at = None
        locked.withdrawal_reason = ""
        locked.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
        _log(locked, actor, ChangeAction.RESTORED)
        _reindex(locked)
    return locked


def version_add(*, actor: User, resource: Resource, content: Content) -> ResourceVersion:
    if not permissions.can_edit(actor, resource):
        raise NotAllowed(_("Only the authors and their organisations add versions."))
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        _refuse_if_withdrawn(locked)
        version = _add_version(locked, actor, content)
        locked.save(update_fields=["updated_at"])
        _log(locked, actor, ChangeAction.VERSION_ADDED, note=str(version.number))
    return version


def coauthor_invite(*, actor: User, resource: Resource, who: str) -> Authorship:
    if not permissions.can_edit(actor, resource):
        raise NotAllowed(_("Only the authors and their organisations invite co-authors."))
    who = who.strip()
    user = User.objects.filter(
        Q(username__iexact=who) | Q(email__iexact=who), is_active=True
    ).first()
    if user is None or not who:
        raise ServiceError(_("Nobody with this user name or e-mail is registered."))
    if resource.authors.filter(user=user).exclude(status=AuthorStatus.DECLINED).exists():
        raise ServiceError(_("This person is already an author or invited."))
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        _refuse_if_withdrawn(locked)
        authorship, _created = Authorship.objects.update_or_create(
            resource=resource,
            user=user,
            defaults={"status": AuthorStatus.INVITED, "invited_by": actor},
        )
        Resource.objects.filter(pk=resource.pk).update(co_developed=True)
        _log(locked, actor, ChangeAction.INVITED, note=user_name(user))
        _email_invitation(authorship)
    return authorship


def invitation_respond(*, actor: User, authorship: Authorship, accept: bool) -> Authorship:
    if authorship.user_id != actor.pk:
        raise NotAllowed(_("Only the invited person answers an invitation."))
    with transaction.atomic():
        locked = Authorship.objects.select_for_update().get(pk=authorship.pk)
        if locked.status != AuthorStatus.INVITED:
            raise ServiceError(_("This invitation has already been answered."))
        locked.status = AuthorStatus.ACCEPTED if accept else AuthorStatus.DECLINED
        locked.save(update_fields=["status"])
        resource = locked.resource
        if accept and actor.organization_id is not None and is_member(actor.organization_id):
            # The co-author's member organisation joins the resource's organisations.
            resource.organizations.add(actor.organization_id)
        _log(resource, actor, ChangeAction.ACCEPTED if accept else ChangeAction.DECLINED)
    return locked


def is_member(organization_id: int) -> bool:
    return Membership.objects.filter(
        organization_id=organization_id, status=MembershipStatus.MEMBER
    ).exists()


def download_record(*, resource: Resource) -> None:
    # One UPDATE: concurrent downloads never lose a count.
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
