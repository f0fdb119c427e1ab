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
