"""Who may see and change alliance governance.

- The charter (every version and its vote), the council and the expert committee: everyone.
- General-assembly and council meetings (agenda, minutes, decisions): representatives of
  member organisations and the secretariat.
- Recording anything (a charter version, an appointment, the end of a term, a meeting, a
  minutes version, a decision): the secretariat only. Nothing is edited in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from qiao.alliance.permissions import is_member_representative

if TYPE_CHECKING:
    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def can_see_meetings(user: AnyUser) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_secretariat) or is_member_representative(user)


def can_record(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_secretariat)
