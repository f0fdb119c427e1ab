"""A Russian representative, in a real browser, finds a Chinese offer and opens the match."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User
from qiao.core.testing.factories import PASSWORD, ProfileFactory
from qiao.exchange.models import Match, ProfileKind
from qiao.organizations.models import Organization
from qiao.search.testing import index_now

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.browser
def test_russian_representative_finds_chinese_offer_and_opens_the_match(
    browser_page: Page, ru_rep: User, ru_org: Organization, cn_org: Organization
) -> None:
    from playwright.sync_api import expect

    offer = ProfileFactory.create(organization=cn_org, language="zh", published=True)
    request = ProfileFactory.create(
        organization=ru_org,
        language="ru",
        kind=ProfileKind.REQUEST,
        published=True,
        title="Ищем технологию ремонта валов прокатных станов лазерной наплавкой",
    )
    index_now("profiles", [offer.pk])
    index_now("profiles", [request.pk])
    match = Match.objects.get(offer=offer, request=request)
    page = browser_page

    page.goto("/accounts/login/")
    page.fill("input[name=username]", ru_rep.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")  # the preferred language

    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#language-select", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.goto("/profiles/")
    page.fill("#id_q", "восстановление изношенных валов лазерной наплавкой")
    page.select_option("#id_kind", "offer")
    page.locator("form[role=search] button[type=submit]").click()
    first = page.locator("article.search-result").first
    expect(first.locator("h3 a")).to_have_text(offer.title)
    first.locator("summary").click()
    expect(first.locator(".explain")).to_be_visible()

    first.locator("h3 a").click()
    expect(page.locator("h1")).to_have_text(offer.title)
    page.locator(f"a[href='/matches/{match.pk}/']").first.click()
    expect(page).to_have_url(re.compile(rf"/matches/{match.pk}/$"))
    expect(page.locator("#explanation table tbody tr").first).to_be_visible()
    match.refresh_from_db()
    assert match.request_status == "seen"  # opening it marked the Russian side as seen
