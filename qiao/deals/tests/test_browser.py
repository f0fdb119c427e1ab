"""In a real browser: a Russian college expresses interest in a Chinese offer, the technology
manager approves the introduction and walks the deal to a signed licence agreement."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User
from qiao.deals.models import ChecklistItem, Deal, DealStage, Interest
from qiao.deals.tests.conftest import RU_MESSAGE
from qiao.exchange.models import Profile

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.browser
def test_introduction_from_expression_of_interest_to_agreement(
    browser_page: Page,
    login_browser: Callable[[User], None],
    offer: Profile,
    cn_rep: User,
    ru_rep: User,
    broker: User,
    checklist: list[ChecklistItem],
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login_browser(ru_rep)
    page.goto(f"/profiles/{offer.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator(f"#interest a[href='/interests/new/{offer.pk}/']").click()
    page.fill("#id_message", RU_MESSAGE)
    page.locator("form.card button[type=submit]").click()
    interest = Interest.objects.get()
    expect(page).to_have_url(re.compile(rf"/interests/{interest.pk}/$"))

    login_browser(broker)
    page.goto("/interests/")
    page.locator(f"table.interests a[href='/interests/{interest.pk}/']").first.click()
    expect(page.locator(".text-block")).to_have_text(RU_MESSAGE)
    page.select_option("#id_decision", "approve")
    page.locator("form.decision-form button[type=submit]").click()
    deal = Deal.objects.get()
    expect(page).to_have_url(re.compile(rf"/deals/{deal.pk}/$"))
    expect(page.locator("#deal-stage")).to_have_text("Introduced")

    # The required step blocks the move until it is ticked.
    page.locator("button[data-stage=first_contact]").click()
    expect(page.locator(".message.error")).to_contain_text(checklist[0].label_en)
    page.locator(f"li[data-item='{checklist[0].pk}'] button").click()
    for stage, label in (
        ("first_contact", "First contact"),
        ("nda", "Non-disclosure agreement"),
        ("negotiation", "Due diligence and negotiation"),
        ("agreement", "Agreement"),
    ):
        page.locator(f"button[data-stage={stage}]").click()
        expect(page.locator("#deal-stage")).to_have_text(label)

    page.select_option("#id_agreement_type", "licence")
    page.fill("#id_agreement_value", "1500000")
    page.select_option("#id_currency", "CNY")
    page.locator("#agreement button[type=submit]").click()
    expect(page.locator("#deal-agreement")).to_contain_text("1500000")
    page.locator("button[data-stage=implementation]").click()
    expect(page.locator("#deal-stage")).to_have_text("Implementation")

    deal.refresh_from_db()
    assert deal.stage == DealStage.IMPLEMENTATION
    assert (deal.agreement_type, deal.currency) == ("licence", "CNY")
    assert deal.events.filter(kind="stage").count() == 5

    # The Russian side now sees the Chinese side's contact details.
    login_browser(ru_rep)
    page.goto(f"/deals/{deal.pk}/")
    expect(page.locator(f"a[href='mailto:{cn_rep.email}']")).to_be_visible()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ru", "zh-hans"])
def test_saving_the_agreement_again_keeps_its_signing_date_in_every_language(
    browser_page: Page,
    login_browser: Callable[[User], None],
    deal: Deal,
    broker: User,
    language: str,
) -> None:
    """A localised value in <input type=date> shows as empty, so a re-save deleted the date."""
    from playwright.sync_api import expect

    broker.preferred_language = language
    broker.save(update_fields=["preferred_language"])
    signed_on = datetime.date(2026, 12, 5)
    Deal.objects.filter(pk=deal.pk).update(agreement_type="licence", agreement_signed_on=signed_on)
    login_browser(broker)
    page = browser_page
    page.goto(f"/deals/{deal.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#id_agreement_signed_on")).to_have_value("2026-12-05")
    page.locator("#agreement button[type=submit]").click()
    expect(page.locator("#deal-agreement")).to_be_visible()
    deal.refresh_from_db()
    assert deal.agreement_signed_on == signed_on
