"""The header in Chromium: one line for the longest menu (the secretariat's, in Russian) at every
desktop width, the menus themselves from 1280 px and a "Menu" button below; on a 390 px phone
the menus, opened, stay inside the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import BrowserContext, Page
    from pytest_django.live_server_helper import LiveServer

    from qiao.accounts.models import User

ONE_LINE_PX = 60  # the header row's height with everything on one line (about 55 px)


@pytest.fixture
def russian_secretariat(
    browser_context: BrowserContext,
    live_server: LiveServer,
    login_browser: Callable[[User], None],
    secretariat: User,
) -> None:
    login_browser(secretariat)
    browser_context.add_cookies(
        [{"name": "django_language", "value": "ru", "url": live_server.url}]
    )


@pytest.mark.browser
def test_header_on_desktop_and_phone(browser_page: Page, russian_secretariat: None) -> None:
    page = browser_page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ru"
    toggle = page.locator(".nav-toggle > summary")
    for width, menu_button in ((1440, False), (1280, False), (1200, True), (900, True)):
        page.set_viewport_size({"width": width, "height": 800})
        assert toggle.is_visible() == menu_button, width
        height = page.evaluate(
            "document.querySelector('.header-row').getBoundingClientRect().height"
        )
        assert height < ONE_LINE_PX, width

    page.set_viewport_size({"width": 390, "height": 800})
    assert toggle.is_visible()
    menus = page.locator(".main-nav > .nav-group > summary")
    assert not menus.first.is_visible()
    toggle.click()
    for group in range(menus.count()):
        menus.nth(group).click()
        for link in page.locator(".nav-group[open] .nav-menu a").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
