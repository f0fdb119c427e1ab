"""Who may see and change expressions of interest, introductions and deals.

- Express interest: a representative of an organisation other than the owner, on a published
  profile that is open for expressions of interest.
- Pass on a profile: likewise (any published profile of another organisation).
- See an expression of interest: its sender's organisation, the profile owner's representatives
  and technology manager, the secretariat.
- Approve / decline: the owner organisation's technology manager, or the secretariat.
- See a deal, add notes and documents, download documents: the parties (representatives of
  both organisations), the deal's technology manager, the secretariat.
- Move a deal, tick its checklist, set its deadline and agreement: the deal's technology
  manager and the secretariat.
- Anonymous profiles: the owner organisation is shown only to its managers, to technology
  managers and the secretariat, and to organisations it was introduced to.
- Pass reasons: the owner organisation's managers, technology managers, the secretariat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qiao.deals.models import Deal, Interest, InterestStatus
from qiao.exchange.models import Profile, ProfileStatus
from qiao.exchange.permissions import can_manage_organization_profiles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def can_express_interest(user: AnyUser, profile: Profile) -> bool:
    u = _user(user)
    return (
        u is not None
        and u.organization_id is not None
        and u.organization_id != profile.organization_id
        and profile.status == ProfileStatus.PUBLISHED
        and profile.interest_open
    )


def can_pass(user: AnyUser, profile: Profile) -> bool:
    u = _user(user)
    return (
        u is not None
        and u.organization_id is not None
        and u.organization_id != profile.organization_id
        and profile.status == ProfileStatus.PUBLISHED
    )


def can_decide_interest(user: AnyUser, interest: Interest) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.is_secretariat:
        return True
    return u.is_broker and interest.profile.organization.broker_id == u.pk


def can_view_interest(user: AnyUser, interest: Interest) -> bool:
    u = _user(user)
    if u is None:
        return False
    if can_decide_interest(u, interest):
        return True
    if u.organization_id is not None and u.organization_id == interest.organization_id:
        return True
    return can_manage_organization_profiles(u, interest.profile.organization)


def is_deal_party(user: AnyUser, deal: Deal) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.is_secretariat or (deal.broker_id is not None and deal.broker_id == u.pk):
        return True
    return u.organization_id is not None and u.organization_id in (
        deal.owner_id,
        deal.partner_id,
    )


def can_manage_deal(user: AnyUser, deal: Deal) -> bool:
    u = _user(user)
    if u is None:
        return False
    return u.is_secretariat or (u.is_broker and deal.broker_id == u.pk)


def can_view_board(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.can_review


def can_see_pass_reasons(user: AnyUser, profile: Profile) -> bool:
    u = _user(user)
    if u is None:
        return False
    return u.can_review or can_manage_organization_profiles(u, profile.organization)


def can_see_profile_owner(user: AnyUser, profile: Profile) -> bool:
    if not profile.anonymous:
        return True
    u = _user(user)
    if u is None:
        return False
    if u.can_review or can_manage_organization_profiles(u, profile.organization):
        return True
    return (
        u.organization_id is not None
        and Interest.objects.filter(
            profile=profile, organization_id=u.organization_id, status=InterestStatus.APPROVED
        ).exists()
    )
