"""Proves the browser-test infrastructure: Debian's Chromium, Playwright, live_server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.browser
def test_admin_login_page_opens_in_chromium(browser_page: Page) -> None:
    response = browser_page.goto("/admin/login/")

    assert response is not None and response.ok
    assert browser_page.title() == "Log in | Django site admin"
    assert browser_page.locator("input[name=username]").is_visible()
