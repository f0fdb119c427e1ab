"""`{{ user|person_name }}`: a builtin filter (settings.TEMPLATES), used wherever a person is
named, so Chinese names read 王伟 rather than "伟 王"."""

from __future__ import annotations

from django import template

from qiao.core.names import Named, user_name

register = template.Library()


@register.filter
def person_name(user: Named | None) -> str:
    return "" if user is None else user_name(user)
