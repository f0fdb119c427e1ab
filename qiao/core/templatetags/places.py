from __future__ import annotations

from django import template

from qiao.core.places import place_name

register = template.Library()


@register.filter
def place(value: str | None) -> str:
    """A region or city as stored, shown in the reader's language (qiao.core.places)."""
    return place_name(value) if value else ""
