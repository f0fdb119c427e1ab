"""Under the Content-Security-Policy every page still works: Chromium reports no violation on
the main pages for each kind of user, nor on the API docs (issue 15, item 13).

Chromium writes every blocked script, style, handler or outside request to the console
("Refused to ... because it violates the following Content Security Policy directive"); a
page also records them as `securitypolicyviolation` events, which catch the ones logged
before the console listener would see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from qiao.core.testing.factories import MatchFactory

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page

    from qiao.accounts.models import User

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""

EVERYONE = [
    "core:home",
    "exchange:search",
    "careers:postings",
    "alliance:directory",
    "events:list",
    "governance:overview",
    "programmes:catalogue",
    "training:list",
    "resources:library",
]
PAGES = {
    "anon": [
        *EVERYONE,
        "accounts:login",
        "accounts:signup",
        "alliance:apply",
        "assessment:verify",
        "admin:login",
    ],
    "cn_rep": [
        *EVERYONE,
        "exchange:mine",
        "exchange:create",
        "exchange:matches",
        "deals:interests",
        "alerts:create",
        "accounts:settings",
    ],
    "broker": ["exchange:matches", "exchange:review", "deals:board", "dashboards:dashboard"],
    "secretariat": [
        "alliance_dashboard:dashboard",
        "alliance:review",
        "careers:review",
        "events:create",
        "surveys:list",
        "training:numbers",
        "training:cases",
        "deals:board",
        "dashboards:dashboard",
        "admin:index",
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
    ],
}


def visit_all(page: Page, urls: list[str], *, settle: bool = False) -> list[str]:
    """Every CSP violation on these pages, each prefixed by the page's URL. Our pages run
    their scripts before `load`; `settle` also waits for what renders after it (the API
    docs fetch the schema, then build the page)."""
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    found: list[str] = []
    for url in urls:
        console.clear()
        response = page.goto(url)
        assert response is not None and response.ok, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
        if settle:
            page.wait_for_load_state("networkidle")
        events = page.evaluate("window.__cspViolations")
        found += [f"{url}: {text}" for text in [*console, *events]]
    return found


@pytest.mark.browser
@pytest.mark.parametrize("persona", list(PAGES))
def test_no_page_violates_the_content_security_policy(
    request: pytest.FixtureRequest,
    browser_page: Page,
    login_browser: Callable[[User], None],
    persona: str,
) -> None:
    if persona != "anon":
        user = request.getfixturevalue(persona)
        if persona == "secretariat":  # as in the demo: the admin's forms and their scripts too
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        login_browser(user)
    MatchFactory.create()  # match lists show score bars
    assert visit_all(browser_page, [reverse(name) for name in PAGES[persona]]) == []


@pytest.mark.browser
def test_what_inline_code_did_still_works(
    browser_page: Page, login_browser: Callable[[User], None], broker: User
) -> None:
    login_browser(broker)
    match = MatchFactory.create(score=72.4)
    browser_page.goto(reverse("exchange:match", args=[match.pk]))
    # The score bar's width comes from data-width (was style="width: 72%").
    bar = browser_page.locator("[data-width]").first
    assert bar.get_attribute("data-width") == str(round(match.score)) == "72"
    assert bar.evaluate("el => el.style.width") == "72%"
    # A navigation menu closes on a click elsewhere (was an inline script).
    group = browser_page.locator(".nav-group").first
    group.locator("summary").click()
    assert group.get_attribute("open") is not None
    browser_page.locator("h1").first.click()
    assert group.get_attribute("open") is None
    # Choosing a language submits its form (was onchange="this.form.submit()").
    with browser_page.expect_navigation():
        browser_page.select_option("#language-select", "ru")
    assert browser_page.locator("html").get_attribute("lang") == "ru"


@pytest.mark.browser
def test_the_api_docs_render_under_the_policy(browser_page: Page) -> None:
    assert visit_all(browser_page, [reverse("api:redoc"), reverse("api:docs")], settle=True) == []
    browser_page.locator(".opblock").first.wait_for()  # Swagger UI listed the operations
    browser_page.goto(reverse("api:redoc"))
    browser_page.get_by_role("heading", name="Qiao API").first.wait_for()  # Redoc rendered
    assert browser_page.locator("img[src^='https://']").count() == 0
