"""Writes to teaching resources: permission, validation, atomic writes; versions are added,
never replaced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.resources import permissions
from qiao.resources.files import check_resource_file
from qiao.resources.models import Authorship, AuthorStatus, Resource, ResourceVersion

if TYPE_CHECKING:
    from qiao.organizations.models import Organization


@dataclass(frozen=True)
class Content:
    """One version's content: an uploaded file or a link."""

    file: UploadedFile[Any] | None = None
    url: str = ""
    note: str = ""


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
    if not actor.is_secretariat and actor.organization_id not in {o.pk for o in organizations}:
        raise ValidationError(
            {"organizations": _("Include your own organisation among the organisations.")}
        )
    if not organizations:
        raise ValidationError({"organizations": _("Choose at least one member organisation.")})
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
    return resource


def version_add(*, actor: User, resource: Resource, content: Content) -> ResourceVersion:
    if not permissions.can_edit(actor, resource):
        raise NotAllowed(_("Only the authors and their organisations add versions."))
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        version = _add_version(locked, actor, content)
        locked.save(update_fields=["updated_at"])
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
        authorship, _created = Authorship.objects.update_or_create(
            resource=resource,
            user=user,
            defaults={"status": AuthorStatus.INVITED, "invited_by": actor},
        )
        Resource.objects.filter(pk=resource.pk).update(co_developed=True)
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
    return locked


def download_record(*, resource: Resource) -> None:
    # One UPDATE: concurrent downloads never lose a count.
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
