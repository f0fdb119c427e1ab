"""In a real browser the vendored Chart.js loads and draws every chart of the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page


@pytest.mark.browser
def test_the_dashboard_draws_its_charts(
    browser_page: Page, login_browser: Callable[[User], None], secretariat: User
) -> None:
    from playwright.sync_api import expect

    from qiao.alliance.demo import load_alliance
    from qiao.demo.loader import load_organizations

    load_organizations()
    load_alliance()
    errors: list[str] = []
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    login_browser(secretariat)
    browser_page.goto("/alliance/dashboard/")
    expect(browser_page.locator("canvas[data-chart]")).to_have_count(6)
    assert browser_page.evaluate("typeof window.Chart") == "function"
    # Chart.js registers every chart it drew on its canvas.
    drawn = browser_page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".filter(c => window.Chart.getChart(c)).length"
    )
    assert drawn == 6
    assert errors == []
