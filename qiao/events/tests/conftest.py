"""Event personas: cn_rep and ru_rep represent registered organisations; outsider's
organisation is not registered; student is signed in without an organisation."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from qiao.accounts.models import User
from qiao.core.testing.factories import UserFactory
from qiao.events.models import AgendaItem, Event, Registration, RegistrationStatus, Speaker

HARBIN = ZoneInfo("Asia/Harbin")
DAY = datetime(2031, 6, 20, tzinfo=HARBIN)  # far enough ahead never to be "over"


def make_event(**overrides: object) -> Event:
    values: dict[str, object] = {
        "kind": "conference",
        "title_zh": "中俄职业教育合作论坛",
        "title_ru": "Форум российско-китайского сотрудничества в профобразовании",
        "title_en": "China–Russia vocational education forum",
        "venue": "Harbin",
        "starts_at": DAY.replace(hour=9),
        "ends_at": DAY.replace(hour=18),
        "capacity": 50,
        "meetings_start": DAY.replace(hour=14),
        "meetings_end": DAY.replace(hour=16),
        "meeting_minutes": 30,
    }
    values.update(overrides)
    return Event.objects.create(**values)


@pytest.fixture
def event(db: None) -> Event:
    event = make_event()
    speaker = Speaker.objects.create(event=event, name="Li Ming", affiliation="Sample College")
    keynote = AgendaItem.objects.create(
        event=event,
        kind="keynote",
        starts_at=DAY.replace(hour=9),
        ends_at=DAY.replace(hour=10),
        title_zh="主旨演讲",
        title_ru="Пленарный доклад",
        title_en="Keynote",
    )
    keynote.speakers.add(speaker)
    return event


@pytest.fixture
def student(db: None) -> User:
    return UserFactory.create(username="student", student=True)


@pytest.fixture
def student_client(student: User) -> Client:
    client = Client()
    client.force_login(student)
    return client


def register(user: User, event: Event, status: str = RegistrationStatus.APPROVED) -> Registration:
    return Registration.objects.create(
        event=event, user=user, organization=user.organization, status=status
    )


@pytest.fixture
def participants(event: Event, cn_rep: User, ru_rep: User) -> Event:
    register(cn_rep, event)
    register(ru_rep, event)
    return event


def slot(event: Event, n: int) -> datetime:
    assert event.meetings_start is not None
    return event.meetings_start + timedelta(minutes=event.meeting_minutes * n)
