"""In a real browser and without an account: a Russian enterprise opens its personal survey
link, saves half its answers, comes back, and submits once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qiao.surveys.models import Invitation

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page


@pytest.mark.browser
def test_enterprise_saves_resumes_and_submits(
    browser_page: Page, browser_context: BrowserContext, invitation: Invitation
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    questions = {q.position: f"#id_q{q.pk}" for q in invitation.version.questions.all()}
    page.goto(f"/survey/{invitation.token}/")
    page.select_option("#language-select", "ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#survey-form")).to_contain_text("Вопрос 2 *")

    page.fill(questions[1], "Нужна технология сушки древесины")
    page.locator("button[value=save]").click()
    expect(page.locator(".message")).to_be_visible()
    invitation.refresh_from_db()
    assert invitation.started_at is not None and invitation.submitted_at is None

    page.goto(f"/survey/{invitation.token}/")  # coming back later
    expect(page.locator(questions[1])).to_have_value("Нужна технология сушки древесины")
    page.locator("button[value=submit]").click()  # the required question 2 is empty
    expect(page.locator(".errorlist").first).to_be_visible()
    page.fill(
        questions[2],
        "Наше предприятие в Хабаровске сушит лиственницу; нужна энергоэффективная камера.",
    )
    page.locator("button[value=submit]").click()
    expect(page.locator("#survey-done")).to_be_visible()
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None
    assert invitation.answer_language == "ru"
