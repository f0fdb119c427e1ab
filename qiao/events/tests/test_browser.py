"""In a real browser: a Chinese representative books a one-to-one meeting suggested by the
engine; the Russian representative accepts it; the slot disappears for both."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User
from qiao.events.forms import slot_value
from qiao.events.models import Event, Meeting, MeetingStatus
from qiao.events.tests.conftest import slot
from qiao.organizations.models import Organization
from qiao.search.testing import index_now

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page


@pytest.mark.browser
def test_booking_a_one_to_one_meeting(
    browser_page: Page,
    login_browser: Callable[[User], None],
    participants: Event,
    cn_rep: User,
    ru_rep: User,
) -> None:
    from playwright.sync_api import expect

    cn_org: Organization = cn_rep.organization  # type: ignore[assignment]
    cn_org.description = "学院开设焊接技术专业，希望与俄罗斯院校合作培养焊接技术人才。"
    cn_org.description_language = "zh"
    cn_org.save()
    ru_org: Organization = ru_rep.organization  # type: ignore[assignment]
    ru_org.description = "Колледж готовит сварщиков и ищет партнёров в Китае."
    ru_org.description_language = "ru"
    ru_org.save()
    # Saved directly, not through a service: index their descriptions here.
    index_now("organisations", [cn_org.pk, ru_org.pk])
    page = browser_page

    login_browser(cn_rep)
    page.goto(f"/events/{participants.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("link", name="一对一洽谈").click()
    suggestion = page.get_by_test_id("suggestion").first
    expect(suggestion).to_contain_text(ru_org.display_name("zh-hans"))
    suggestion.get_by_role("link").click()
    expect(page.locator("#id_invitee")).to_have_value(str(ru_org.pk))
    wanted = slot(participants, 2)
    page.select_option("#id_slot", slot_value(wanted))
    page.fill("#id_message", "讨论焊接专业联合招生")
    page.locator("#request button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.get_by_test_id("schedule")).to_contain_text(ru_org.display_name("zh-hans"))
    meeting = Meeting.objects.get()
    assert (meeting.invitee_id, meeting.slot_start) == (ru_org.pk, wanted)

    # The Russian side accepts, in Russian.
    browser_page.context.clear_cookies()
    login_browser(ru_rep)
    page.goto(f"/events/{participants.pk}/meetings/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_role("button", name="Принять").click()
    expect(page.locator(".message.success")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED
    # That time is no longer offered to either side.
    values = page.locator("#id_slot option").evaluate_all("els => els.map(e => e.value)")
    assert slot_value(wanted) not in values
    assert len(values) == len(participants.meeting_slots()) - 1


@pytest.mark.browser
def test_the_organiser_edits_and_reorders_the_agenda(
    browser_page: Page,
    login_browser: Callable[[User], None],
    event: Event,
    cn_rep: User,
) -> None:
    """cn_rep represents the organiser and reads the page in Chinese: they correct the Russian
    title of a session, add one, move it before the keynote, and the public page follows."""
    from playwright.sync_api import expect

    from qiao.events.models import AgendaItem

    event.organizer = cn_rep.organization
    event.save()
    page = browser_page
    login_browser(cn_rep)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="修改活动").click()

    agenda = page.get_by_test_id("agenda")
    agenda.get_by_role("link", name="修改").first.click()
    expect(page.locator("h1")).to_have_text("修改环节")
    page.fill("#id_title_ru", "Пленарный доклад о совместном наборе")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".message.success")).to_be_visible()
    expect(agenda).to_contain_text("Пленарный доклад о совместном наборе")

    form = page.locator("form:has(input[name=part][value=agenda])")
    form.locator("#id_kind").select_option("ceremony")
    form.locator("#id_starts_at").fill("2031-06-20T10:00")
    form.locator("#id_ends_at").fill("2031-06-20T10:30")
    form.locator("#id_title_zh").fill("开幕式")
    form.locator("#id_title_ru").fill("Церемония открытия")
    form.get_by_role("button", name="添加").click()
    expect(page.locator(".message.success")).to_be_visible()
    expect(agenda.locator("tr")).to_have_count(2)

    agenda.locator("tr").nth(1).get_by_role("button", name="上移").click()
    expect(page.locator(".message.success")).to_be_visible()
    expect(agenda.locator("tr").first).to_contain_text("开幕式")
    ceremony = AgendaItem.objects.get(event=event, kind="ceremony")
    keynote = AgendaItem.objects.get(event=event, kind="keynote")
    # The ceremony now opens the day; each session keeps its length.
    assert ceremony.starts_at == event.starts_at and ceremony.ends_at <= keynote.starts_at
    assert (ceremony.ends_at - ceremony.starts_at).seconds == 30 * 60
    assert (keynote.ends_at - keynote.starts_at).seconds == 60 * 60

    page.goto(f"/events/{event.pk}/")
    expect(page.locator("tbody tr").first).to_contain_text("开幕式")
