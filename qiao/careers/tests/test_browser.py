"""In a real browser: a student whose profile is written in Chinese finds a Russian internship
with a Chinese query, sees why it fits, and applies; the employer is told in Russian."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core import mail

from qiao.accounts.models import User
from qiao.careers.models import Application, Posting, TalentProfile
from qiao.careers.tests.factories import PostingFactory
from qiao.search.collections.careers import posting_key, talent_key
from qiao.search.testing import index_now

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.browser
def test_chinese_student_finds_and_applies_to_russian_internship(
    browser_page: Page,
    login_browser: object,
    student: User,
    student_profile: TalentProfile,
    employer: User,
    posting: Posting,
) -> None:
    from playwright.sync_api import expect

    other = PostingFactory.create(language="en", status="published")  # logistics, unrelated
    for p in (posting, other):
        index_now("careers", [posting_key(p.pk)])
    index_now("careers", [talent_key(student_profile.pk)])
    page = browser_page
    login_browser(student)  # type: ignore[operator]

    page.goto("/careers/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.fill("#id_q", "焊接实习")
    page.locator("form[role=search] button[type=submit]").click()
    first = page.locator(".posting-result h3 a").first
    expect(first).to_have_text(posting.title)  # the Russian posting, found in Chinese
    first.click()

    fit = page.locator("#fit")
    expect(fit).to_contain_text("焊接")  # aligned skills: сварка ↔ 焊接
    expect(fit).to_contain_text("сварка")
    page.locator("#apply-link").click()
    page.fill("#id_cover_letter", "我学习焊接技术三年，希望到贵公司实习。")
    page.select_option("#id_cover_letter_language", "zh")
    page.locator("#send-application").click()

    expect(page.locator("#application-status")).to_have_text("已投递")
    application = Application.objects.get()
    assert application.candidate == student and application.posting == posting
    assert [m.to for m in mail.outbox] == [[employer.email]]
    assert "Заявка" in mail.outbox[0].subject
