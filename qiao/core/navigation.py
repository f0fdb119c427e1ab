"""The site's menus, built from what the person may do.

Each page a menu (or an in-page link) points to is listed once in PAGES with the access rule its
view applies: the same permission function, imported from the app's permissions module, so a
link is shown exactly when the page would answer it. MENUS arranges those pages into the header's
three programme menus; the programmes' own sub-navigations (alliance, careers) show the same
entries. Templates use the `{% load navigation %}` tags, never their own `{% if %}`s.

A page whose view refuses nobody who is signed in (or nobody at all) is listed with
`signed_in` or `everyone`. A rule may be narrower than its view (the menu offers "My
applications" to candidates only), never wider.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.alliance import permissions as alliance
from qiao.alliance_dashboard.permissions import can_see_dashboard as can_see_alliance_dashboard
from qiao.careers import permissions as careers
from qiao.dashboards.permissions import can_view_dashboard
from qiao.exchange import permissions as exchange
from qiao.surveys.permissions import can_view_results
from qiao.training.permissions import can_view_case_library

if TYPE_CHECKING:
    from django.http import HttpRequest

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser

Rule = Callable[["AnyUser"], bool]


def everyone(user: AnyUser) -> bool:
    return True


def signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_view_own_dashboard(user: AnyUser) -> bool:
    # The technology-transfer dashboard without ?broker=: a technology manager's own, the
    # secretariat's whole platform (dashboards.views._broker_id).
    return can_view_dashboard(user, user.pk)


def can_open_admin(user: AnyUser) -> bool:
    # django.contrib.admin.AdminSite.has_permission, which takes a request rather than a user.
    return bool(user.is_active and user.is_staff)


# url name -> who may open the page (the rule its view enforces).
PAGES: dict[str, Rule] = {
    "exchange:search": everyone,
    "organizations:directory": everyone,
    "exchange:mine": exchange.works_in_exchange,
    "exchange:matches": exchange.works_in_exchange,
    "deals:interests": exchange.works_in_exchange,
    "deals:board": exchange.works_in_exchange,
    "alerts:list": signed_in,
    "training:list": everyone,
    "training:cases": can_view_case_library,
    "exchange:review": exchange.can_review_profiles,
    "dashboards:dashboard": can_view_own_dashboard,
    "surveys:list": can_view_results,
    "alliance:directory": everyone,
    "events:list": everyone,
    "programmes:catalogue": everyone,
    "resources:library": everyone,
    "governance:overview": everyone,
    "alliance:apply": everyone,
    "alliance_dashboard:dashboard": can_see_alliance_dashboard,
    "alliance:review": alliance.can_review_applications,
    "alliance:prospects": alliance.can_manage_prospects,
    "careers:postings": everyone,
    "careers:recommended": careers.is_candidate,
    "careers:my-profile": careers.is_candidate,
    "careers:my-applications": careers.is_candidate,
    "careers:my-postings": careers.can_create_postings,
    "careers:talent-search": careers.can_search_talent,
    "careers:review": careers.can_review_postings,
    "careers:my-data": signed_in,
    "admin:index": can_open_admin,
}


@dataclass(frozen=True)
class Link:
    url_name: str
    label: Promise
    # False: only in the programme's own sub-navigation, not in the header menu.
    in_header: bool = True


@dataclass(frozen=True)
class Menu:
    key: str
    label: Promise
    links: tuple[Link, ...]


MENUS: tuple[Menu, ...] = (
    Menu(
        "exchange",
        _("Technology transfer"),
        (
            Link("exchange:search", _("Search profiles")),
            Link("organizations:directory", _("Organisations")),
            Link("exchange:mine", _("My profiles")),
            Link("exchange:matches", _("Matches")),
            Link("deals:interests", _("Introductions")),
            Link("deals:board", _("Deals")),
            Link("alerts:list", _("Saved searches")),
            Link("training:list", _("Technology-manager training")),
            Link("exchange:review", _("Review queue")),
            Link("dashboards:dashboard", _("Dashboard")),
            Link("surveys:list", _("Surveys")),
        ),
    ),
    Menu(
        "alliance",
        _("Alliance"),
        (
            Link("alliance:directory", _("Member directory")),
            Link("events:list", _("Events")),
            Link("programmes:catalogue", _("Programmes")),
            Link("resources:library", _("Teaching resources")),
            Link("governance:overview", _("Governance")),
            Link("alliance:apply", _("Apply to join")),
            Link("alliance_dashboard:dashboard", pgettext_lazy("alliance", "Dashboard")),
            Link("alliance:review", _("Membership applications"), in_header=False),
            Link("alliance:prospects", _("Prospective members"), in_header=False),
        ),
    ),
    Menu(
        "careers",
        _("Internships and jobs"),
        (
            Link("careers:postings", _("All postings")),
            Link("careers:recommended", _("Postings for me")),
            Link("careers:my-profile", _("My talent profile")),
            Link("careers:my-applications", pgettext_lazy("careers", "My applications")),
            Link("careers:my-postings", _("My postings")),
            Link("careers:talent-search", _("Find candidates")),
            Link("careers:review", _("Postings to review"), in_header=False),
            Link("careers:my-data", _("My data"), in_header=False),
        ),
    ),
)


def may_open(request: HttpRequest, url_name: str) -> bool:
    """Whether the page's view would let this request's user in; each rule is asked once per
    request (some ask the database)."""
    cache: dict[str, bool] = request.__dict__.setdefault("_qiao_may_open", {})
    if url_name not in cache:
        # An error page may render before the authentication middleware has run.
        user = getattr(request, "user", None) or AnonymousUser()
        cache[url_name] = PAGES[url_name](user)
    return cache[url_name]


def visible_links(request: HttpRequest, menu: Menu, *, header: bool) -> list[Link]:
    return [
        link
        for link in menu.links
        if (link.in_header or not header) and may_open(request, link.url_name)
    ]


def menu(key: str) -> Menu:
    return next(m for m in MENUS if m.key == key)
