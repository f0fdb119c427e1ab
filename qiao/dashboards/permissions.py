"""Who may see which dashboard: a technology manager their own; the secretariat the whole
platform's and every technology manager's. Representatives see none."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User


def can_view_dashboard(user: User | AnonymousUser, broker_id: int | None) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_secretariat:
        return True
    return bool(user.is_broker and broker_id == user.pk)
