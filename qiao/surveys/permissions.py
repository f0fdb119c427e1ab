"""Who may do what with demand surveys.

- Build questionnaires (admin), send invitations, export: the secretariat.
- See a questionnaire's results and responses: the secretariat and technology managers;
  a technology manager sees the responses of the organisations they look after.
- Turn a submitted response into a draft Technology Request: the secretariat, or the
  responding organisation's technology manager.
- Answer: whoever holds the personal link (no account).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qiao.surveys.models import Invitation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def can_manage_surveys(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.is_secretariat


def can_view_results(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.can_review


def can_view_response(user: AnyUser, invitation: Invitation) -> bool:
    u = _user(user)
    if u is None:
        return False
    return u.is_secretariat or (u.is_broker and invitation.organization.broker_id == u.pk)


def can_convert_response(user: AnyUser, invitation: Invitation) -> bool:
    return can_view_response(user, invitation) and invitation.submitted_at is not None
