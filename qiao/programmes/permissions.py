"""Who may see and do what with programmes and student applications.

- The catalogue and programme pages: everyone.
- Create a programme: representatives of member organisations (their organisation leads it)
  and the secretariat.
- Edit a programme (close it to applications, quotas, requirements, texts): representatives of
  its lead institution while it is a member, and the secretariat.
- Apply: students and graduates (accounts role "student"); an applicant sees only their own
  applications, and alone accepts or declines an offer.
- Process applications (review, offer, decline with a reason) and see the applicants'
  personal data: representatives of the lead and partner institutions, and the secretariat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from qiao.alliance.permissions import is_member_representative
from qiao.programmes.models import Programme, StudentApplication

if TYPE_CHECKING:
    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def can_create_programme(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and (u.is_secretariat or is_member_representative(u))


def can_edit_programme(user: AnyUser, programme: Programme) -> bool:
    u = _user(user)
    if u is None:
        return False
    return u.is_secretariat or (
        u.organization_id is not None
        and u.organization_id == programme.lead_id
        and is_member_representative(u)
    )


def can_apply(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.is_student


def runs_programme(user: AnyUser, programme: Programme) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.is_secretariat:
        return True
    if u.organization_id is None:
        return False
    return (
        u.organization_id == programme.lead_id
        or programme.partners.filter(pk=u.organization_id).exists()
    )


def can_view_application(user: AnyUser, application: StudentApplication) -> bool:
    u = _user(user)
    if u is None:
        return False
    return application.student_id == u.pk or runs_programme(u, application.programme)
