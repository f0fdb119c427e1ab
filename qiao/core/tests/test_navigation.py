"""Menus and in-page links show a page exactly when its view lets the person in
(qiao.core.navigation): for every persona, each link shown answers 200, and each restricted page
not shown refuses them."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from qiao.accounts.models import UILanguage, User
from qiao.alliance.models import Membership, MembershipStatus
from qiao.careers.tests.factories import StudentFactory, TalentProfileFactory
from qiao.core.navigation import PAGES
from qiao.core.testing.factories import OrganizationFactory, UserFactory
from qiao.organizations.models import Country, Organization, OrganizationKind

# Pages whose header menu, programme sub-navigation or in-page links are checked.
SCANNED = ("core:home", "alliance:directory", "careers:postings", "training:list")
# Menus may be narrower than their view, never wider: the secretariat and representatives may
# open "My applications" (it lists nothing for them), the menu offers it to candidates only.
NARROWER = {"careers:my-applications"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.hrefs.add(href.split("?")[0])


def shown_pages(client: Client) -> dict[str, str]:
    """url name -> path of every page in PAGES that the scanned pages link to."""
    shown: dict[str, str] = {}
    for name in SCANNED:
        response = client.get(reverse(name))
        assert response.status_code == 200
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            try:
                url_name = resolve(href).view_name
            except Resolver404:
                continue
            if url_name in PAGES:
                shown[url_name] = href
    return shown


def refuses(client: Client, path: str) -> bool:
    response = client.get(path)
    logins = (reverse("accounts:login"), reverse("admin:login"))
    login = response.status_code == 302 and response["Location"].startswith(logins)
    return response.status_code == 403 or login


@pytest.fixture
def member_rep(cn_rep: User, cn_org: Organization) -> User:
    """cn_rep, whose college is a member of the alliance (ru_rep's is not)."""
    Membership.objects.create(
        organization=cn_org, status=MembershipStatus.MEMBER, joined_on=date(2025, 6, 20)
    )
    return cn_rep


@pytest.fixture
def student(cn_org: Organization) -> User:
    user = StudentFactory.create(preferred_language=UILanguage.ZH_HANS)
    TalentProfileFactory.create(user=user, institution=cn_org, language="zh")
    return user


@pytest.fixture
def employer(db: None) -> User:
    enterprise = OrganizationFactory.create(country=Country.RU, kind=OrganizationKind.ENTERPRISE)
    return UserFactory.create(organization=enterprise, preferred_language=UILanguage.RU)


# persona -> links it must see, links it must not (what the issue found: menu links that
# answered 403, or pages that only said the account has no organisation).
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "secretariat": ({"alliance_dashboard:dashboard", "surveys:list", "admin:index"}, set()),
    "broker": (
        {"dashboards:dashboard", "exchange:review", "deals:board"},
        {"alliance_dashboard:dashboard", "careers:talent-search"},
    ),
    "member_rep": ({"alliance_dashboard:dashboard", "exchange:mine"}, {"training:cases"}),
    "ru_rep": (
        {"exchange:matches"},
        {"alliance_dashboard:dashboard", "training:cases", "dashboards:dashboard"},
    ),
    "outsider": ({"deals:interests"}, {"alliance_dashboard:dashboard", "surveys:list"}),
    "student": (
        {"careers:recommended", "careers:my-profile", "alerts:list"},
        {
            "exchange:mine",
            "exchange:matches",
            "deals:interests",
            "deals:board",
            "alliance_dashboard:dashboard",
            "careers:my-postings",
        },
    ),
    "employer": (
        {"careers:my-postings", "careers:talent-search", "exchange:mine"},
        {"alliance_dashboard:dashboard", "training:cases", "careers:my-profile"},
    ),
    "anonymous": ({"exchange:search", "careers:postings"}, {"alerts:list", "careers:my-data"}),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_every_link_shown_opens_and_every_page_refused_is_hidden(
    request: pytest.FixtureRequest, db: None, persona: str
) -> None:
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    shown = shown_pages(client)
    must_show, must_hide = EXPECTED[persona]
    assert must_show <= shown.keys()
    assert not must_hide & shown.keys()
    for url_name, path in shown.items():
        response = client.get(path, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        assert response.status_code == 200, (url_name, response.status_code)
        assert not final.startswith(reverse("accounts:login")), url_name
    for url_name in PAGES.keys() - shown.keys() - NARROWER:
        assert refuses(client, reverse(url_name)), f"{url_name} opens but no menu shows it"


def test_student_workspace_pages_refuse_with_a_reason(student: User) -> None:
    client = Client()
    client.force_login(student)
    for url_name in ("exchange:mine", "exchange:matches", "deals:interests", "deals:board"):
        assert client.get(reverse(url_name)).status_code == 403
