"""The secretariat creates and changes events, speakers and the agenda; nobody else may;
bad input is refused with a message and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.events import services
from qiao.events.models import AgendaItem, Event, Speaker
from qiao.events.tests.conftest import register

pytestmark = pytest.mark.django_db

EVENT = {
    "part": "event",
    "kind": "seminar",
    "title_ru": "Семинар по совместному набору",
    "venue": "Харбин",
    "starts_at": "2031-05-10T09:00",
    "ends_at": "2031-05-10T17:00",
    "capacity": "40",
    "meeting_minutes": "20",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),
        ("cn_rep_client", 403),
        ("broker_client", 403),
        ("secretariat_client", 200),
    ],
)
def test_only_the_secretariat_manages_events(
    request: pytest.FixtureRequest, persona: str, status: int, event: Event
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("events:create")).status_code == status
    page = client.get(reverse("events:edit", args=[event.pk]))
    assert page.status_code == status
    if status == 200:
        form = page.context["form"]
        assert not form.is_bound and form.initial["title_en"] == event.title_en
    response = client.post(reverse("events:create"), EVENT)
    assert Event.objects.count() == (2 if status == 200 else 1)
    assert response.status_code == (302 if status == 200 else status)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": "2031-05-10T08:00"}, None, "The end must come after the start."),
        ({"title_ru": ""}, None, "Write the title in at least one language."),
        ({"meetings_start": "2031-05-10T14:00"}, None, "Give both ends of the meeting window"),
        ({"capacity": "-1"}, "capacity", "greater than or equal to 0"),
        ({"kind": "party"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_events_are_refused(
    secretariat_client: Client, change: dict[str, str], field: str | None, message: str
) -> None:
    response = secretariat_client.post(reverse("events:create"), {**EVENT, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors.get(field or "__all__", [])
    assert any(message in e for e in errors), response.context["form"].errors
    assert not Event.objects.exists()


def test_speakers_and_sessions(secretariat_client: Client, event: Event) -> None:
    url = reverse("events:edit", args=[event.pk])
    secretariat_client.post(url, {"part": "speaker", "name": "Анна Петрова", "bio_language": "ru"})
    speaker = Speaker.objects.get(name="Анна Петрова")
    session = {
        "part": "agenda",
        "kind": "dialogue",
        "starts_at": "2031-06-20T11:00",
        "ends_at": "2031-06-20T12:00",
        "title_zh": "高层对话",
        "speakers": [speaker.pk],
    }
    response = secretariat_client.post(url, {**session, "starts_at": "2031-06-20T06:00"})
    assert "within the event" in response.content.decode()
    assert AgendaItem.objects.filter(event=event).count() == 1  # the fixture's keynote
    secretariat_client.post(url, session)
    item = AgendaItem.objects.get(event=event, kind="dialogue")
    assert list(item.speakers.all()) == [speaker]


def test_capacity_cannot_drop_below_the_places_taken(
    secretariat: User, event: Event, cn_rep: User, ru_rep: User
) -> None:
    register(cn_rep, event)
    register(ru_rep, event)
    event.capacity = 1
    with pytest.raises(ServiceError, match="already taken"):
        services.event_save(actor=secretariat, event=event)
    event.refresh_from_db()
    assert event.capacity == 50


def test_services_refuse_others(event: Event, cn_rep: User) -> None:
    with pytest.raises(NotAllowed):
        services.event_save(actor=cn_rep, event=event)
    with pytest.raises(NotAllowed):
        services.speaker_add(actor=cn_rep, speaker=Speaker(event=event, name="X"))


def test_a_speaker_of_another_event_is_refused(
    secretariat: User, event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.exceptions import ValidationError

    from qiao.events.tests.conftest import DAY, make_event

    other = make_event(title_en="Other")
    stranger = Speaker.objects.create(event=other, name="Stranger")
    item = AgendaItem(
        event=event,
        kind="seminar",
        starts_at=DAY.replace(hour=11),
        ends_at=DAY.replace(hour=12),
        title_en="Seminar",
    )
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=secretariat, item=item, speakers=[stranger])
    assert not AgendaItem.objects.filter(title_en="Seminar").exists()
