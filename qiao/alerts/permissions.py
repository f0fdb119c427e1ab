"""Who may see and change saved searches: only the user who saved them. Unsubscribing needs
no login: the signed link in each alert e-mail is the permission."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qiao.alerts.models import SavedSearch

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User


def can_manage_saved_search(user: User | AnonymousUser, search: SavedSearch) -> bool:
    return bool(user.is_authenticated and user.is_active and search.user_id == user.pk)
