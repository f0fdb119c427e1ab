"""In a real browser: a Russian student signs up from a programme page, in Russian, is turned
back once for a mistyped password (nothing written), then lands on the programme logged in."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from knox.models import AuthToken

from qiao.accounts.models import Role, User
from qiao.organizations.models import Organization
from qiao.programmes.models import Programme

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer


@pytest.mark.browser
def test_student_signs_up_in_russian_and_can_apply(
    browser_page: Page, live_server: LiveServer, cn_org: Organization
) -> None:
    from playwright.sync_api import expect

    programme = Programme.objects.create(
        kind="chinese_plus_short",
        level="training",
        title_ru="Краткий курс «Китайский язык + сварка»",
        description="Курс для студентов российских колледжей.",
        description_language="ru",
        lead=cn_org,
        instruction_languages=["zh", "ru"],
        duration_months=3,
        quota=5,
    )
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    page.goto(f"/programmes/{programme.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator("form a[href^='/accounts/signup/']").click()
    page.fill("#id_first_name", "Иван")
    page.fill("#id_last_name", "Петров")
    page.fill("#id_email", "ivan.petrov@college.example")
    page.select_option("#id_preferred_language", "ru")
    page.fill("#id_password1", "svarka-i-kitajskij-2026")
    page.fill("#id_password2", "svarka-i-kitajskij-2025")
    page.locator("#signup-submit").click()
    expect(page.locator(".errorlist")).to_contain_text("Пароли не совпадают.")
    assert not User.objects.exists()
    if os.environ.get("QIAO_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['QIAO_SCREENSHOTS']}/signup-error.png", full_page=True)

    page.fill("#id_password1", "svarka-i-kitajskij-2026")
    page.fill("#id_password2", "svarka-i-kitajskij-2026")
    page.locator("#signup-submit").click()
    expect(page).to_have_url(f"{live_server.url}/programmes/{programme.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#id_motivation")).to_be_visible()
    user = User.objects.get()
    assert user.role == Role.STUDENT and user.preferred_language == "ru"


@pytest.mark.browser
def test_api_tokens_page_on_a_phone(
    browser_page: Page, login_browser: Callable[[User], None], ru_rep: User
) -> None:
    """A Russian representative, on a 390 px wide phone, finds the tokens page from the
    account menu, creates a token, sees it whole without scrolling sideways, and revokes it."""
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login_browser(ru_rep)
    page.goto("/accounts/settings/")
    page.locator("#nav-api-tokens").click()
    expect(page.locator("h1")).to_have_text("API-токены")
    expect(page.locator("#no-tokens")).to_be_visible()

    page.locator("#create-token").click()
    token = page.locator("#new-token code.token-value")
    expect(token).to_be_visible()
    assert len(token.inner_text()) == 64
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("li.token")).to_have_count(1)
    if os.environ.get("QIAO_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['QIAO_SCREENSHOTS']}/api-tokens.png", full_page=True)

    page.locator("li.token button[type=submit]").click()
    expect(page.locator(".message")).to_contain_text("Токен отозван")
    expect(page.locator("li.token")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not AuthToken.objects.filter(user=ru_rep).exists()
