"""Who may see and change alliance membership.

- Member directory and member profile pages: everyone, including anonymous visitors.
- A member's contact person (personal data): the secretariat and representatives of member
  organisations; not anonymous visitors, students or non-members.
- Apply to join: anyone (the public form). The applicant sees and answers their own
  application through the secret link e-mailed to them (the token), never other ones.
- Review applications (approve, reject with a reason, ask for more information), see the
  documents, manage the prospective-member pipeline: the secretariat only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from qiao.alliance.models import MembershipStatus

if TYPE_CHECKING:
    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def is_member_representative(user: AnyUser) -> bool:
    u = _user(user)
    if u is None or u.organization_id is None:
        return False
    from qiao.alliance.models import Membership

    return Membership.objects.filter(
        organization_id=u.organization_id, status=MembershipStatus.MEMBER
    ).exists()


def can_see_member_contacts(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and (u.is_secretariat or is_member_representative(u))


def can_review_applications(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.is_secretariat


def can_manage_prospects(user: AnyUser) -> bool:
    return can_review_applications(user)
