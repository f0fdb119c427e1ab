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
    Module,
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


@pytest.mark.browser
def test_lecturer_authors_an_assignment(
    browser_page: Page,
    login_browser: Callable[[User], None],
    cohort: Cohort,
    modules: list[Module],
    lecturer: User,
    trainee: User,
) -> None:
    """The lecturer (UI ru) writes a draft assignment for their cohort, fills its pool in two
    languages, marks the reference solution and publishes it; the trainee (UI zh-hans) then
    finds the new offer by searching the pool, which was re-indexed after each save."""
    from playwright.sync_api import expect

    page = browser_page
    login_browser(lecturer)
    page.goto(f"/training/cohorts/{cohort.pk}/")
    page.get_by_test_id("new-assignment").click()
    page.select_option("#id_module", str(modules[2].pk))
    page.fill("#id_title_ru", "Сушка древесины для Хабаровского комбината")
    page.fill("#id_title_zh", "为哈巴罗夫斯克木材厂寻找干燥技术")
    page.fill("#id_situation_ru", "Лесопильный комбинат в Хабаровске ищет энергоэффективную сушку.")
    page.select_option("#id_time_zone", "Europe/Moscow")
    page.fill("#id_partners_due", "2030-03-01T18:00")
    page.fill("#id_deal_due", "2030-03-10T18:00")
    page.get_by_test_id("assignment-form").get_by_role("button").click()
    expect(page.locator(".message.success")).to_be_visible()
    assignment = Assignment.objects.get(cohort=cohort)
    assert assignment.module == modules[2]
    assert assignment.partners_due.isoformat() == "2030-03-01T15:00:00+00:00"

    offers = page.get_by_test_id("offer-form")
    for language, organization, title, summary in (
        (
            "ru",
            "ООО «Термолес» (вымышленная)",
            "Вакуумная сушка пиломатериалов",
            "Камеры вакуумной сушки древесины лиственницы с рекуперацией тепла.",
        ),
        (
            "zh",
            "牡丹江乳品（虚构）",
            "酸奶发酵工艺",
            "适合小型乳品厂的酸奶发酵工艺。",
        ),
    ):
        offers.locator("#id_language").select_option(language)
        offers.locator("#id_organization_name").fill(organization)
        offers.locator("#id_title").fill(title)
        offers.locator("#id_summary").fill(summary)
        offers.get_by_role("button").click()
        expect(page.get_by_test_id("offer").filter(has_text=title)).to_be_visible()
    # Publishing without a reference solution is refused.
    page.check("#id_published")
    page.get_by_test_id("assignment-form").get_by_role("button").click()
    expect(page.locator(".errorlist")).to_be_visible()
    page.get_by_test_id("offer").filter(has_text="Вакуумная сушка").get_by_test_id(
        "mark-reference"
    ).click()
    expect(
        page.get_by_test_id("offer")
        .filter(has_text="Вакуумная сушка")
        .get_by_test_id("is-reference")
    ).to_be_visible()
    page.check("#id_published")
    page.get_by_test_id("assignment-form").get_by_role("button").click()
    expect(page.locator(".message.success")).to_be_visible()
    _shot(page, "assignment-edit-ru")
    assignment.refresh_from_db()
    assert assignment.published
    assert [o.title for o in assignment.offers.filter(is_reference=True)] == [
        "Вакуумная сушка пиломатериалов"
    ]

    page.context.clear_cookies()
    login_browser(trainee)
    page.goto(f"/training/cohorts/{cohort.pk}/")
    page.get_by_test_id("assignments").get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("为哈巴罗夫斯克木材厂寻找干燥技术")
    page.get_by_test_id("start").click()
    page.fill("#q", "вакуумная сушка древесины")
    page.locator("form[role=search] button").click()
    expect(page.locator("[data-offer]").first).to_contain_text("Вакуумная сушка пиломатериалов")
