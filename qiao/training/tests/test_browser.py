"""In a real browser: a Russian technology manager applies to the cohort, the secretariat
accepts, the new trainee reads the Harbin timetable in Moscow time and downloads the calendar;
the lecturer records attendance. Set QIAO_SCREENSHOTS=<dir> to keep screenshots of each page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User
from qiao.training.models import ApplicationStatus, Attendance, Cohort, Enrolment, Session

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
