"""Who may see and change technology profiles and matches.

- Published profiles: everyone, including anonymous visitors.
- Unpublished profiles: the owner organisation's representatives, its technology manager,
  every technology manager once submitted (the review queue), and the secretariat.
- Create / edit / submit / renew / archive: the owner organisation's representatives, its
  technology manager, the secretariat.
- Publish / reject: technology managers and the secretariat.
- My profiles, matches, introductions and deals pages: whoever works in the exchange
  (representatives of an organisation, technology managers, the secretariat).
- Matches: visible to whoever manages either side, to technology managers and to the
  secretariat; each side's status is changed by those who manage that side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from qiao.exchange.models import Match, Profile, ProfileStatus

if TYPE_CHECKING:
    from qiao.accounts.models import User
    from qiao.organizations.models import Organization

    AnyUser = User | AnonymousUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def works_in_exchange(user: AnyUser) -> bool:
    """Who has an exchange workspace (own profiles, matches, introductions, deals): an
    organisation's representatives, technology managers, the secretariat. Not students, who
    act for no organisation."""
    u = _user(user)
    return u is not None and (u.can_review or u.organization_id is not None)


def check_works_in_exchange(user: AnyUser) -> None:
    if not works_in_exchange(user):
        raise PermissionDenied(
            _(
                "These pages are for organisations' representatives and technology managers; "
                "your account acts for no organisation."
            )
        )


def can_manage_organization_profiles(user: AnyUser, organization: Organization) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.is_secretariat:
        return True
    if u.organization_id is not None and u.organization_id == organization.pk:
        return True
    return u.is_broker and organization.broker_id == u.pk


def can_view_profile(user: AnyUser, profile: Profile) -> bool:
    if profile.status == ProfileStatus.PUBLISHED:
        return True
    u = _user(user)
    if u is None:
        return False
    if can_manage_organization_profiles(u, profile.organization):
        return True
    return u.is_broker and profile.status != ProfileStatus.DRAFT


def can_edit_profile(user: AnyUser, profile: Profile) -> bool:
    return profile.status != ProfileStatus.ARCHIVED and can_manage_organization_profiles(
        user, profile.organization
    )


def can_review_profiles(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.can_review


def can_view_match(user: AnyUser, match: Match) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.can_review:
        return True
    return can_manage_organization_profiles(
        u, match.offer.organization
    ) or can_manage_organization_profiles(u, match.request.organization)


def can_set_match_status(user: AnyUser, match: Match, side: str) -> bool:
    profile = match.offer if side == "offer" else match.request
    u = _user(user)
    if u is None:
        return False
    return u.is_secretariat or can_manage_organization_profiles(u, profile.organization)
