"""One-to-one meetings: requested between registered organisations, in the event's slots,
never two for one organisation at the same time (the database enforces it), answered by the
invited side, suggested by the matching engine."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import OrganizationFactory, UserFactory
from qiao.events import services
from qiao.events.models import Event, Meeting, MeetingSeat, MeetingStatus
from qiao.events.tests.conftest import register, slot
from qiao.organizations.models import Country, Organization
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db


def org(user: User) -> Organization:
    assert user.organization is not None
    return user.organization


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),  # registered, but for no organisation
        ("outsider_client", 403),  # its organisation is not registered
        ("broker_client", 403),
        ("cn_rep_client", 200),
        ("ru_rep_client", 200),
    ],
)
def test_meetings_page_is_for_registered_organisations(
    request: pytest.FixtureRequest, persona: str, status: int, participants: Event, student: User
) -> None:
    register(student, participants)
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("events:meetings", args=[participants.pk])).status_code == status


def test_request_accept_and_the_slot_is_taken_for_both(
    participants: Event,
    cn_rep: User,
    ru_rep: User,
    cn_rep_client: Client,
    ru_rep_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ru_rep.email = "ru@college.example"
    ru_rep.save()
    url = reverse("events:meetings", args=[participants.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = cn_rep_client.post(
            url,
            {
                "invitee": ru_rep.organization_id,
                "slot": slot(participants, 1).isoformat(),
                "message": "联合招生",
            },
        )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.requester, meeting.invitee) == (cn_rep.organization, ru_rep.organization)
    assert MeetingSeat.objects.filter(meeting=meeting, active=True).count() == 2
    (notice,) = mail.outbox
    assert notice.to == ["ru@college.example"]
    assert "просит о встрече" in notice.subject  # the invitee reads Russian

    # The requester cannot accept their own request; the invitee can.
    assert (
        cn_rep_client.post(
            reverse("events:meeting-action", args=[meeting.pk, "accept"])
        ).status_code
        == 403
    )
    ru_rep_client.post(reverse("events:meeting-action", args=[meeting.pk, "accept"]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED

    # Neither side offers that time any more.
    page = ru_rep_client.get(url)
    offered = page.context["form"].slots
    assert slot(participants, 1) not in offered
    assert slot(participants, 0) in offered


def test_slots_never_clash_on_either_side(participants: Event, cn_rep: User, ru_rep: User) -> None:
    third_org = OrganizationFactory.create(country=Country.RU)
    third = UserFactory.create(organization=third_org)
    register(third, participants)
    at = slot(participants, 2)
    services.meeting_request(
        actor=cn_rep,
        event=participants,
        invitee=org(ru_rep),
        slot_start=at,
    )
    # ru_org is busy at that time as the invitee; it cannot be booked again, nor book.
    with pytest.raises(ServiceError, match="other organisation already has a meeting"):
        services.meeting_request(
            actor=third,
            event=participants,
            invitee=org(ru_rep),
            slot_start=at,
        )
    with pytest.raises(ServiceError, match="Your organisation already has a meeting"):
        services.meeting_request(actor=ru_rep, event=participants, invitee=third_org, slot_start=at)
    assert Meeting.objects.count() == 1


def test_the_database_refuses_a_clash_even_without_the_service(
    participants: Event, cn_rep: User, ru_rep: User
) -> None:
    at = slot(participants, 0)
    meeting = services.meeting_request(
        actor=cn_rep,
        event=participants,
        invitee=org(ru_rep),
        slot_start=at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(
            meeting=meeting,
            event=participants,
            organization=org(cn_rep),
            slot_start=at,
        )


def test_declining_frees_the_slot_and_history_is_kept(
    participants: Event, cn_rep: User, ru_rep: User
) -> None:
    at = slot(participants, 3)
    first = services.meeting_request(
        actor=cn_rep,
        event=participants,
        invitee=org(ru_rep),
        slot_start=at,
    )
    services.meeting_decline(actor=ru_rep, meeting=first, reason="Busy")
    second = services.meeting_request(
        actor=ru_rep,
        event=participants,
        invitee=org(cn_rep),
        slot_start=at,
    )
    assert second.pk != first.pk
    first.refresh_from_db()
    assert (first.status, first.reason) == (MeetingStatus.DECLINED, "Busy")
    with pytest.raises(ServiceError):
        services.meeting_accept(actor=ru_rep, meeting=first)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slot_start": "not-a-slot"}, "not one of the event's meeting times"),
        ({"invitee": "self"}, "another organisation than your own"),
        ({"invitee": "unregistered"}, "not registered for the event"),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(
    participants: Event, cn_rep: User, ru_rep: User, change: dict[str, str], message: str
) -> None:
    invitee = org(ru_rep)
    at = slot(participants, 0)
    if change.get("invitee") == "self":
        invitee = org(cn_rep)
    elif change.get("invitee") == "unregistered":
        invitee = OrganizationFactory.create()
    if "slot_start" in change:
        at = at.replace(minute=7)
    with pytest.raises(ServiceError, match=message):
        services.meeting_request(actor=cn_rep, event=participants, invitee=invitee, slot_start=at)
    assert not Meeting.objects.exists() and not MeetingSeat.objects.exists()


def test_a_tampered_form_is_refused_with_a_message(
    participants: Event, ru_rep: User, cn_rep_client: Client
) -> None:
    response = cn_rep_client.post(
        reverse("events:meetings", args=[participants.pk]),
        {"invitee": ru_rep.organization_id, "slot": "2031-06-20T03:00:00+08:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slot"]
    assert not Meeting.objects.exists()


def test_outsiders_cannot_request_or_see_meetings(
    participants: Event, cn_rep: User, ru_rep: User, outsider: User, outsider_client: Client
) -> None:
    with pytest.raises(NotAllowed):
        services.meeting_request(
            actor=outsider,
            event=participants,
            invitee=org(ru_rep),
            slot_start=slot(participants, 0),
        )
    meeting = services.meeting_request(
        actor=cn_rep,
        event=participants,
        invitee=org(ru_rep),
        slot_start=slot(participants, 0),
    )
    for action in ("accept", "decline", "cancel"):
        url = reverse("events:meeting-action", args=[meeting.pk, action])
        assert outsider_client.post(url).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED


def test_the_engine_suggests_the_partner_that_fits_across_languages(
    participants: Event, cn_rep: User, ru_rep: User, cn_rep_client: Client
) -> None:
    cn_org = org(cn_rep)
    cn_org.description = (
        "学院开设焊接技术专业，建有智能焊接实训基地，希望与俄罗斯院校合作培养焊接技术人才。"
    )
    cn_org.description_language = "zh"
    cn_org.save()
    ru_org = org(ru_rep)
    ru_org.description = (
        "Колледж готовит сварщиков и ищет партнёров в Китае для обучения сварочным технологиям."
    )
    ru_org.description_language = "ru"
    ru_org.save()
    bakery = OrganizationFactory.create(
        country=Country.RU,
        description="Пекарня выпускает хлеб и торты для магазинов города.",
        description_language="ru",
    )
    register(UserFactory.create(organization=bakery), participants)
    # Saved directly, not through a service: index their descriptions here.
    index_now("organisations", [cn_org.pk, ru_org.pk, bakery.pk])
    response = cn_rep_client.get(reverse("events:meetings", args=[participants.pk]))
    suggestions = response.context["suggestions"]
    assert suggestions[0].organization == ru_org
    assert suggestions[0].score > suggestions[-1].score
