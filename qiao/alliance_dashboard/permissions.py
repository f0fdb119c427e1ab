"""The dashboard shows aggregates only (no personal data) to member representatives and the
secretariat; everyone else sees the public composition in the member directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from qiao.alliance.permissions import is_member_representative

if TYPE_CHECKING:
    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def can_see_dashboard(user: AnyUser) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_secretariat) or is_member_representative(user)
