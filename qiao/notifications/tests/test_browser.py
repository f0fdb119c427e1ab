"""On a phone: the header shows the unread count, the list fits the screen, and opening a
notification goes to what it is about and lowers the count."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User
from qiao.notifications.models import Notification

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.browser
def test_unread_count_and_list_on_a_phone(
    browser_page: Page, login_browser: Callable[[User], None], ru_rep: User
) -> None:
    from playwright.sync_api import expect

    for subject in (
        "Установление контакта одобрено: очень-длинное-название-без-пробелов" * 2,
        "Напоминание",
    ):
        Notification.objects.create(
            recipient=ru_rep, subject=subject, body="Здравствуйте!\n", url="/alerts/"
        )
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login_browser(ru_rep)
    page.goto("/")
    expect(page.get_by_test_id("notifications-link").locator(".count")).to_have_text("2")
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_test_id("notification")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("notification").first.locator("button").click()
    expect(page).to_have_url(re.compile(r"/alerts/$"))
    expect(page.get_by_test_id("notifications-link").locator(".count")).to_have_text("1")
