"""On a 390 px phone screen nothing scrolls sideways: list and table pages become cards
(`table.responsive`, qiao.css and ui.js), long Russian words wrap (issue 16).

A small, representative sample as the people who use each page, in their own languages; the
crawl of every page as every persona is a separate test. Measured before the fix: alliance
members 873 px, matches 722, membership review 722, a deal 639."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from qiao.alliance.models import Membership, MembershipApplication, MembershipStatus, Specialty
from qiao.core.testing.factories import MatchFactory, ProfileFactory
from qiao.deals import services as deals
from qiao.deals.models import Deal
from qiao.exchange.models import ProfileKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page, ViewportSize
    from pytest_django.live_server_helper import LiveServer

    from qiao.accounts.models import User
    from qiao.organizations.models import Organization

PHONE: ViewportSize = {"width": 390, "height": 844}
# Long single words are what overflowed: Russian compounds, a code without spaces.
LONG_RU_TITLE = (
    "Высокопроизводительная энергосберегающая теплоизоляционная технология "
    "для железобетонных конструкций в условиях вечной мерзлоты ГОСТ-Р-56707-2015/ISO-9001"
)


# Boxes whose content runs past their border (a long Russian word in a stat or a card).
OVERFLOWING_BOXES = """() => Array.from(
  document.querySelectorAll(".card, .stat, .result, .board-card")
).filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => `${box.className}: ${box.textContent.trim().slice(0, 40)}`)"""


def overflow(page: Page, path: str) -> tuple[str, int, list[str]]:
    """The page's width at a phone's viewport, and the boxes that overflow on it."""
    response = page.goto(path)
    assert response is not None and response.ok, path
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return path, width, page.evaluate(OVERFLOWING_BOXES)


@pytest.mark.browser
def test_list_and_table_pages_fit_a_phone(
    browser_page: Page,
    login_browser: Callable[[User], None],
    live_server: LiveServer,
    secretariat: User,
    broker: User,
    ru_rep: User,
    cn_rep: User,
    ru_org: Organization,
    cn_org: Organization,
) -> None:
    specialty = Specialty.objects.create(
        code="permafrost",
        name_zh="寒区土木工程与冻土地基施工技术",
        name_ru="Строительство на вечномёрзлых грунтах",
        name_en="Construction on permafrost",
    )
    member = Membership.objects.create(
        organization=ru_org,
        status=MembershipStatus.MEMBER,
        region="RU-KHA",
        joined_on=date(2025, 6, 20),
    )
    member.specialties.add(specialty)
    MembershipApplication.objects.create(
        name_ru="Хабаровский краевой многопрофильный политехнический колледж",
        kind="secondary_vocational",
        country="RU",
        region="RU-KHA",
        city="Хабаровск",
        description="Колледж.",
        description_language="ru",
        motivation="Стажировки.",
        rep_name="Анна Петрова",
        rep_position="директор",
        rep_email="anna@college.example",
        language="ru",
    )
    request = ProfileFactory.create(
        organization=ru_org,
        kind=ProfileKind.REQUEST,
        language="ru",
        published=True,
        title=LONG_RU_TITLE,
    )
    offer = ProfileFactory.create(organization=cn_org, language="zh", published=True)
    MatchFactory.create(offer=offer, request=request)
    interest = deals.interest_express(actor=cn_rep, profile=request, message="我们学院希望合作。")
    deals.interest_decide(actor=broker, interest=interest, approve=True)
    deal = Deal.objects.get(interest=interest)

    browser_page.set_viewport_size(PHONE)
    browser_page.context.add_cookies(
        [{"name": "django_language", "value": "ru", "url": live_server.url}]
    )
    widths = [overflow(browser_page, reverse("alliance:directory"))]  # anonymous, in Russian
    widths.append(overflow(browser_page, reverse("organizations:directory")))
    login_browser(secretariat)
    widths.append(overflow(browser_page, reverse("alliance:review")))
    login_browser(broker)
    widths += [
        overflow(browser_page, reverse(name))
        for name in ("exchange:matches", "dashboards:dashboard")
    ]
    login_browser(ru_rep)  # the Russian UI
    widths += [
        overflow(browser_page, reverse("deals:deal", args=[deal.pk])),
        overflow(browser_page, reverse("deals:board")),
        overflow(browser_page, reverse("exchange:mine")),
    ]
    login_browser(cn_rep)  # the Chinese UI
    widths.append(overflow(browser_page, reverse("deals:deal", args=[deal.pk])))

    assert [(path, width) for path, width, _ in widths if width > PHONE["width"]] == []
    assert [(path, boxes) for path, _, boxes in widths if boxes] == []
    # The cards name their columns: labels come from the table's header row.
    browser_page.goto(reverse("exchange:mine"))
    assert browser_page.locator("table.responsive td[data-label]").count() > 0
