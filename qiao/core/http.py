from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from qiao.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a view guarded by login_required."""
    user = request.user
    assert user.is_authenticated, "guard the view with login_required"
    return user
