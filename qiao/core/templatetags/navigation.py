"""`{% load navigation %}`: menus and in-page links from qiao.core.navigation, so a template
shows a link exactly when the page's view would let the person in.

    {% header_menus as menus %}                    the header: [(menu, [link, ...]), ...]
    {% section_links "alliance" as links %}        a programme's own sub-navigation
    {% may_open "training:cases" as can_open %}    an in-page link to a restricted page
"""

from __future__ import annotations

from typing import Any

from django import template

from qiao.core import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def header_menus(context: dict[str, Any]) -> list[tuple[navigation.Menu, list[navigation.Link]]]:
    request = context["request"]
    return [(m, navigation.visible_links(request, m, header=True)) for m in navigation.MENUS]


@register.simple_tag(takes_context=True)
def section_links(context: dict[str, Any], key: str) -> list[navigation.Link]:
    return navigation.visible_links(context["request"], navigation.menu(key), header=False)


@register.simple_tag(takes_context=True)
def may_open(context: dict[str, Any], url_name: str) -> bool:
    return navigation.may_open(context["request"], url_name)
