"""The header's unread count: one COUNT query, and only on pages that show it."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from qiao.notifications.services import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A template calls a callable when it resolves the variable; cached, however often it is used.
    return {"unread_notifications": cache(lambda: unread_count(user=user))}
