"""The trainee's calendar export parses as RFC 5545 and carries UTC times."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from qiao.accounts.models import User
from qiao.training.models import Session

pytestmark = pytest.mark.django_db
HOST = urlsplit(settings.BASE_URL).hostname


def test_calendar_export(
    trainee_client: Client, trainee: User, harbin_session: Session, past_session: Session
) -> None:
    response = trainee_client.get(reverse("training:calendar"))
    raw = response.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded lines
    calendar = Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    opening = events[f"training-session-{harbin_session.pk}@{HOST}"]
    assert opening.decoded("DTSTART") == datetime(2027, 7, 19, 1, 0, tzinfo=UTC)
    assert opening.decoded("DTEND") == datetime(2027, 7, 19, 4, 0, tzinfo=UTC)
    assert b"DTSTART:20270719T010000Z" in raw
    # The trainee reads Chinese: the summary is in Chinese where a Chinese title exists.
    assert str(opening["SUMMARY"]).startswith("开班")
    assert str(opening["LOCATION"]) == "Harbin technology market"
    assert "09:00" in str(opening["DESCRIPTION"])
    online = events[f"training-session-{past_session.pk}@{HOST}"]
    assert str(online["LOCATION"]) == "https://meet.example.org/secret-room"
