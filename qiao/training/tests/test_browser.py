"""In a real browser: a Russian technology manager applies to the cohort, the secretariat
accepts, the new trainee reads the Harbin timetable in Moscow time and downloads the calendar;
the lecturer records attendance. Set QIAO_SCREENSHOTS=<dir> to keep screenshots of each page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Attempt,
    Attendance,
    Cohort,
    Enrolment,
    Session,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("QIAO_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_apply_accept_timetable_and_attendance(
    browser_page: Page,
    login_browser: Callable[[User], None],
    cohort: Cohort,
    harbin_session: Session,
    past_session: Session,
    ru_rep: User,
    secretariat: User,
    lecturer: User,
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login_browser(ru_rep)
    page.goto(f"/training/cohorts/{cohort.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.fill(
        "#id_motivation", "Работаю брокером в Новосибирске, хочу научиться работать с Китаем."
    )
    page.select_option("#id_motivation_language", "ru")
    page.get_by_test_id("apply").get_by_role("button").click()
    expect(page.get_by_test_id("enrolment")).to_have_text("Заявка подана")
    _shot(page, "cohort-ru-applied")
    enrolment = Enrolment.objects.get(user=ru_rep)

    page.context.clear_cookies()
    login_browser(secretariat)
    page.goto(f"/training/cohorts/{cohort.pk}/applications/")
    row = page.locator(f"[data-application='{enrolment.pk}']")
    expect(row).to_contain_text("Новосибирске")
    _shot(page, "applications-en")
    row.get_by_role("button", name="Accept").click()
    expect(page.locator(".message.success")).to_be_visible()
    enrolment.refresh_from_db()
    assert enrolment.status == ApplicationStatus.ACCEPTED

    # The trainee reads Russian: the Harbin opening at 09:00 is 04:00 in Moscow.
    page.context.clear_cookies()
    login_browser(ru_rep)
    page.goto(f"/training/cohorts/{cohort.pk}/")
    expect(page.get_by_test_id("enrolment")).to_have_text("Принят(а)")
    opening = page.get_by_test_id("session").filter(has_text="2027-07-19")
    expect(opening).to_contain_text("2027-07-19 04:00–07:00")
    expect(opening).to_contain_text("2027-07-19 09:00–12:00 (Харбин (UTC+8))")
    _shot(page, "cohort-ru-trainee")
    # Switch to Harbin time.
    page.select_option("#id_time_zone", "Asia/Harbin")
    page.get_by_test_id("zone-form").get_by_role("button").click()
    expect(opening).to_contain_text("2027-07-19 09:00–12:00 2027-07-19 09:00–12:00")
    page.get_by_role("link", name="Стандарты услуг").click()
    expect(page.get_by_test_id("online-link")).to_be_visible()
    with page.expect_download() as download:
        page.goto("/training/")
        page.get_by_test_id("calendar").click()
    ics = Path(download.value.path()).read_bytes()
    assert ics.count(b"BEGIN:VEVENT") == 2

    # The lecturer ticks the trainee present.
    page.context.clear_cookies()
    login_browser(lecturer)
    page.goto(f"/training/sessions/{past_session.pk}/")
    page.check(f"#present-{enrolment.pk}")
    page.get_by_test_id("attendance").get_by_role("button").click()
    expect(page.locator(".message.success")).to_be_visible()
    _shot(page, "session-ru-lecturer")
    assert Attendance.objects.get(enrolment=enrolment, session=past_session).present

    page.context.clear_cookies()
    login_browser(User.objects.create_user("zh_viewer", preferred_language="zh-hans"))
    page.goto(f"/training/cohorts/{cohort.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    _shot(page, "cohort-zh")


@pytest.mark.browser
def test_trainee_completes_a_simulation(
    browser_page: Page,
    login_browser: Callable[[User], None],
    trainee: User,
    lecturer: User,
    assignment: Assignment,
) -> None:
    """The trainee (UI zh-hans) searches the pool in Russian, chooses the two reference
    partners, ticks the checklists, closes the sandbox deal and submits; the lecturer grades."""
    from playwright.sync_api import expect

    page = browser_page
    login_browser(trainee)
    page.goto(f"/training/assignments/{assignment.pk}/")
    page.get_by_test_id("start").click()
    page.fill("#q", "восстановление изношенных валов")
    page.locator("form[role=search] button").click()
    for title in ("激光熔覆修复轴类零件", "Laser cladding robot cells for shaft repair"):
        row = page.locator("[data-offer]").filter(has_text=title)
        row.locator("button").click()
        expect(page.locator("[data-offer]").filter(has_text=title)).to_contain_text("已选")
    _shot(page, "attempt-zh-partners")
    for _ in range(7):
        stage = page.get_by_test_id("attempt-stage").inner_text()
        if stage == "已结束：成功":
            break
        checklist = page.get_by_test_id("checklist")
        while checklist.locator("button:has-text('☐')").count():
            checklist.locator("button:has-text('☐')").first.click()
        if page.locator("#agreement_type").count():
            page.select_option("#agreement_type", "licence")
            page.locator("#agreement_type + button").click()
        page.get_by_test_id("advance").click()
        expect(page.get_by_test_id("attempt-stage")).not_to_have_text(stage)
    page.fill("#id_justification", "两家企业都掌握激光熔覆修复轴类零件的技术，符合俄方需求。")
    page.select_option("#id_language", "zh")
    page.get_by_test_id("submit").get_by_role("button").click()
    expect(page.get_by_test_id("auto-score")).to_have_text("100")
    _shot(page, "attempt-zh-submitted")
    attempt = Attempt.objects.get(enrolment__user=trainee)
    assert (attempt.precision, attempt.recall, attempt.stage) == (1.0, 1.0, "closed_won")

    page.context.clear_cookies()
    login_browser(lecturer)
    page.goto(f"/training/attempts/{attempt.pk}/")
    page.fill("#id_rubric_score", "90")
    page.fill("#id_feedback", "Хорошее обоснование.")
    page.get_by_test_id("grade").get_by_role("button").click()
    expect(page.get_by_test_id("total-score")).to_have_text("96")
    _shot(page, "attempt-ru-graded")
