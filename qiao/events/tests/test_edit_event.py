"""Changing an event after it is published: its texts and capacity, the trilingual agenda
(add, change, reorder, remove), the speakers, and cancelling it. Allowed to the secretariat
and to the representatives of the event's organiser; nobody else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.events import services
from qiao.events.models import (
    AgendaItem,
    Event,
    Meeting,
    MeetingSeat,
    MeetingStatus,
    RegistrationStatus,
    Speaker,
)
from qiao.events.tests.conftest import DAY, register, slot
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db

# cn_rep represents the organiser; ru_rep another organisation, registered for the event.
PERSONAS = [
    ("anon_client", 302),
    ("student_client", 403),
    ("outsider_client", 403),
    ("ru_rep_client", 403),
    ("cn_rep_client", 200),
    ("secretariat_client", 200),
]


@pytest.fixture
def organised(event: Event, cn_org: Organization) -> Event:
    event.organizer = cn_org
    event.save()
    return event


def keynote(event: Event) -> AgendaItem:
    return event.agenda.get(kind="keynote")


def event_post(event: Event, **changes: str) -> dict[str, str]:
    return {
        "part": "event",
        "kind": event.kind,
        "title_zh": event.title_zh,
        "title_ru": event.title_ru,
        "title_en": event.title_en,
        "venue": event.venue,
        "starts_at": "2031-06-20T09:00",
        "ends_at": "2031-06-20T18:00",
        "capacity": str(event.capacity),
        "meetings_start": "2031-06-20T14:00",
        "meetings_end": "2031-06-20T16:00",
        "meeting_minutes": str(event.meeting_minutes),
        **changes,
    }


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_change_the_event_and_its_capacity(
    request: pytest.FixtureRequest, persona: str, status: int, organised: Event
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = reverse("events:edit", args=[organised.pk])
    assert client.get(url).status_code == status
    response = client.post(url, event_post(organised, capacity="80", venue="Хабаровск"))
    organised.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert (organised.capacity, organised.venue) == (80, "Хабаровск")
    else:
        assert response.status_code == status
        assert (organised.capacity, organised.venue) == (50, "Harbin")


def test_the_capacity_never_drops_below_the_registrations(
    organised: Event, cn_rep: User, ru_rep: User, student: User, cn_rep_client: Client
) -> None:
    register(ru_rep, organised)
    register(student, organised, RegistrationStatus.PENDING)
    register(UserFactory_create(), organised, RegistrationStatus.CANCELLED)
    cn_rep_client.cookies["django_language"] = "en"
    url = reverse("events:edit", args=[organised.pk])
    response = cn_rep_client.post(url, event_post(organised, capacity="1"))
    assert response.status_code == 200
    assert "2 places are already taken" in response.content.decode()
    organised.refresh_from_db()
    assert organised.capacity == 50
    assert cn_rep_client.post(url, event_post(organised, capacity="2")).status_code == 302
    organised.refresh_from_db()
    assert organised.capacity == 2


def UserFactory_create() -> User:
    from qiao.core.testing.factories import UserFactory

    return UserFactory.create()


def test_only_the_secretariat_names_the_organiser(
    organised: Event, cn_rep: User, ru_org: Organization, cn_rep_client: Client
) -> None:
    page = cn_rep_client.get(reverse("events:edit", args=[organised.pk]))
    assert "organizer" not in page.context["form"].fields
    organised.organizer = ru_org
    with pytest.raises(NotAllowed):
        services.event_save(actor=cn_rep, event=organised)
    organised.refresh_from_db()
    assert organised.organizer_id != ru_org.pk


def test_the_secretariat_names_a_member_as_organiser(
    event: Event, secretariat_client: Client, cn_org: Organization
) -> None:
    from qiao.alliance.models import Membership, MembershipStatus

    Membership.objects.create(
        organization=cn_org, status=MembershipStatus.MEMBER, joined_on=DAY.date()
    )
    url = reverse("events:edit", args=[event.pk])
    secretariat_client.post(url, event_post(event, organizer=str(cn_org.pk)))
    event.refresh_from_db()
    assert event.organizer == cn_org


# --- agenda -----------------------------------------------------------------------------------


SESSION = {
    "kind": "seminar",
    "starts_at": "2031-06-20T10:30",
    "ends_at": "2031-06-20T11:30",
    "title_zh": "校企合作研讨",
    "title_ru": "Семинар о сотрудничестве колледжей и предприятий",
    "title_en": "Seminar on college–enterprise cooperation",
}


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_change_a_session(
    request: pytest.FixtureRequest, persona: str, status: int, organised: Event
) -> None:
    client: Client = request.getfixturevalue(persona)
    item = keynote(organised)
    url = reverse("events:agenda-item", args=[organised.pk, item.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {**SESSION, "kind": "keynote", "title_en": "Opening keynote"})
    item.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert (item.title_en, item.title_zh) == ("Opening keynote", "校企合作研讨")
    else:
        assert response.status_code == status
        assert item.title_en == "Keynote"


def test_a_changed_session_keeps_within_the_event_and_its_speakers(
    organised: Event, cn_rep_client: Client
) -> None:
    item = keynote(organised)
    speaker = organised.speakers.get()
    url = reverse("events:agenda-item", args=[organised.pk, item.pk])
    assert cn_rep_client.get(url).context["form"].initial["speakers"] == [speaker]
    cn_rep_client.cookies["django_language"] = "en"
    response = cn_rep_client.post(url, {**SESSION, "starts_at": "2031-06-20T07:00"})
    assert "within the event" in response.content.decode()
    cn_rep_client.post(url, {**SESSION, "speakers": []})
    item.refresh_from_db()
    assert item.kind == "seminar" and not item.speakers.exists()
    # A session of another event cannot be reached through this event's address.
    other = reverse("events:agenda-item", args=[organised.pk + 1000, item.pk])
    assert cn_rep_client.get(other).status_code == 404


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_add_reorder_and_remove_sessions(
    request: pytest.FixtureRequest, persona: str, status: int, organised: Event
) -> None:
    client: Client = request.getfixturevalue(persona)
    edit = reverse("events:edit", args=[organised.pk])
    client.post(edit, {"part": "agenda", **SESSION})
    added = AgendaItem.objects.filter(event=organised, kind="seminar").first()
    if status != 200:
        assert added is None
        added = AgendaItem.objects.create(
            event=organised,
            kind="seminar",
            starts_at=DAY.replace(hour=10, minute=30),
            ends_at=DAY.replace(hour=11, minute=30),
            title_en=SESSION["title_en"],
        )
    assert added is not None
    first = keynote(organised)
    move = reverse("events:agenda-item-action", args=[organised.pk, added.pk, "earlier"])
    remove = reverse("events:agenda-item-action", args=[organised.pk, first.pk, "remove"])
    assert client.post(move).status_code == (302 if status == 200 else status)
    assert client.post(remove).status_code == (302 if status == 200 else status)
    titles = list(organised.agenda.order_by("starts_at").values_list("kind", flat=True))
    assert titles == (["seminar"] if status == 200 else ["keynote", "seminar"])


def test_reordering_swaps_places_and_keeps_lengths_and_the_pause(
    organised: Event, cn_rep: User
) -> None:
    first = keynote(organised)  # 09:00–10:00
    second = AgendaItem.objects.create(
        event=organised,
        kind="dialogue",
        starts_at=DAY.replace(hour=10, minute=30),
        ends_at=DAY.replace(hour=12),
        title_ru="Диалог",
    )
    moved = services.agenda_item_move(actor=cn_rep, item=second, earlier=True)
    first.refresh_from_db()
    assert (moved.starts_at, moved.ends_at) == (
        DAY.replace(hour=9),
        DAY.replace(hour=10, minute=30),
    )
    assert (first.starts_at, first.ends_at) == (DAY.replace(hour=11), DAY.replace(hour=12))
    assert list(organised.agenda.order_by("starts_at")) == [moved, first]
    with pytest.raises(ServiceError):
        services.agenda_item_move(actor=cn_rep, item=moved, earlier=True)
    with pytest.raises(ServiceError):
        services.agenda_item_move(actor=cn_rep, item=first, earlier=False)


# --- speakers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_add_change_and_remove_speakers(
    request: pytest.FixtureRequest, persona: str, status: int, organised: Event
) -> None:
    client: Client = request.getfixturevalue(persona)
    speaker = organised.speakers.get()
    edit = reverse("events:edit", args=[organised.pk])
    client.post(edit, {"part": "speaker", "name": "Анна Петрова", "bio_language": "ru"})
    change = reverse("events:speaker", args=[organised.pk, speaker.pk])
    assert client.get(change).status_code == status
    client.post(
        change,
        {"name": "Li Ming", "affiliation": "哈尔滨职业技术学院（示例）", "bio_language": "zh"},
    )
    remove = reverse("events:speaker-remove", args=[organised.pk, speaker.pk])
    assert client.post(remove).status_code == (302 if status == 200 else status)
    names = set(organised.speakers.values_list("name", flat=True))
    if status == 200:
        assert names == {"Анна Петрова"}
        assert not keynote(organised).speakers.exists()  # the session stays, without them
    else:
        assert names == {"Li Ming"}
        assert Speaker.objects.get(pk=speaker.pk).affiliation == "Sample College"


def test_a_speaker_of_another_event_cannot_be_changed_through_this_one(
    organised: Event, secretariat: User
) -> None:
    from qiao.events.tests.conftest import make_event

    other = make_event(title_en="Other")
    stranger = Speaker.objects.create(event=other, name="Stranger")
    stranger.event = organised
    with pytest.raises(NotAllowed):
        services.speaker_save(actor=secretariat, speaker=stranger)


# --- cancellation -----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_cancel(
    request: pytest.FixtureRequest, persona: str, status: int, organised: Event
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.post(reverse("events:cancel", args=[organised.pk]), {"reason": "Flooding"})
    organised.refresh_from_db()
    assert response.status_code == (302 if status == 200 else status)
    assert organised.is_cancelled == (status == 200)


def test_cancelling_tells_each_participant_in_their_language(
    organised: Event,
    cn_rep: User,
    ru_rep: User,
    student: User,
    outsider: User,
    secretariat: User,
    ru_org: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    register(cn_rep, organised)
    register(ru_rep, organised)
    register(student, organised, RegistrationStatus.PENDING)
    register(outsider, organised, RegistrationStatus.CANCELLED)
    meeting = services.meeting_request(
        actor=cn_rep,
        event=organised,
        invitee=ru_org,
        slot_start=slot(organised, 0),
    )
    mail.outbox.clear()
    with pytest.raises(ServiceError):
        services.event_cancel(actor=secretariat, event=organised, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=secretariat, event=organised, reason="Наводнение / 洪水")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {cn_rep.email, ru_rep.email, student.email}
    assert "取消" in by_address[cn_rep.email].subject
    assert "отмен" in by_address[ru_rep.email].subject
    assert "Наводнение / 洪水" in by_address[ru_rep.email].body
    # Meetings are cancelled and their seats freed; registrations stay in the history.
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert not MeetingSeat.objects.filter(meeting=meeting, active=True).exists()
    assert organised.registrations.count() == 4


def test_a_cancelled_event_takes_no_registrations_meetings_or_changes(
    organised: Event,
    cn_rep: User,
    ru_rep: User,
    student: User,
    secretariat: User,
    ru_org: Organization,
    anon_client: Client,
    cn_rep_client: Client,
) -> None:
    register(cn_rep, organised)
    register(ru_rep, organised)
    services.event_cancel(actor=cn_rep, event=organised, reason="Flooding")
    with pytest.raises(ServiceError):
        services.event_register(actor=student, event=organised)
    with pytest.raises(ServiceError):
        services.meeting_request(
            actor=cn_rep,
            event=organised,
            invitee=ru_org,
            slot_start=slot(organised, 0),
        )
    with pytest.raises(ServiceError):
        services.event_cancel(actor=secretariat, event=organised, reason="Again")
    organised.refresh_from_db()
    organised.capacity = 10
    with pytest.raises(ServiceError):
        services.event_save(actor=secretariat, event=organised)
    with pytest.raises(ServiceError):
        services.agenda_item_remove(actor=secretariat, item=keynote(organised))
    page = anon_client.get(reverse("events:detail", args=[organised.pk])).content.decode()
    assert "Flooding" in page
    assert cn_rep_client.get(reverse("events:edit", args=[organised.pk])).status_code == 302
    assert Meeting.objects.count() == 0
    assert organised.starts_at + timedelta(hours=9) == organised.ends_at
