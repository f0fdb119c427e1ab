from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.browser
def test_charts_render_from_the_vendored_library(
    browser_page: Page, login_browser: Callable[[User], None], secretariat: User
) -> None:
    from playwright.sync_api import expect

    login_browser(secretariat)
    browser_page.goto("/dashboard/")
    chart = browser_page.locator("canvas[data-chart=deals_by_stage]")
    expect(chart).to_have_attribute("data-rendered", "true")
    assert browser_page.evaluate("typeof window.Chart") == "function"
