"""Who may see and change teaching resources.

- Catalogue, search, resource pages and downloads of openly licensed resources: everyone;
  resources licensed "for alliance members only": member representatives and the secretariat.
- Publish a resource: representatives of member organisations and the secretariat.
- Change its description, add a version, invite co-authors, withdraw it or put it back: the
  resource's accepted authors, representatives of its organisations or of an accepted
  co-author's organisation, and the secretariat.
- Download a withdrawn resource: only those who may change it.
- Accept or decline an invitation: the invited user only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from qiao.alliance.permissions import is_member_representative
from qiao.resources.models import AuthorStatus, Licence, Resource

if TYPE_CHECKING:
    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def can_download(user: AnyUser, resource: Resource) -> bool:
    if resource.withdrawn_at is not None:
        return can_edit(user, resource)
    if resource.licence != Licence.MEMBERS_ONLY:
        return True
    u = _user(user)
    return u is not None and (u.is_secretariat or is_member_representative(u))


def can_publish(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and (u.is_secretariat or is_member_representative(u))


def can_edit(user: AnyUser, resource: Resource) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.is_secretariat:
        return True
    accepted = resource.authors.filter(status=AuthorStatus.ACCEPTED)
    if accepted.filter(user=u).exists():
        return True
    if u.organization_id is None:
        return False
    return (
        resource.organizations.filter(pk=u.organization_id).exists()
        or accepted.filter(user__organization_id=u.organization_id).exists()
    )
