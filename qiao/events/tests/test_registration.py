"""Registration: any signed-in user; capacity is never exceeded; approval when required;
the secretariat decides and records attendance."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import UserFactory
from qiao.events import services
from qiao.events.models import Event, Registration, RegistrationStatus
from qiao.events.tests.conftest import DAY, make_event, register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona",
    ["anon_client", "student_client", "cn_rep_client", "outsider_client", "secretariat_client"],
)
def test_everyone_sees_the_event_and_its_trilingual_agenda(
    request: pytest.FixtureRequest, persona: str, event: Event
) -> None:
    client: Client = request.getfixturevalue(persona)
    client.cookies["django_language"] = "ru"
    response = client.get(reverse("events:detail", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Пленарный доклад" in html and "Li Ming" in html
    assert client.get(reverse("events:list")).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", None),
        ("student_client", RegistrationStatus.APPROVED),
        ("cn_rep_client", RegistrationStatus.APPROVED),
        ("secretariat_client", RegistrationStatus.APPROVED),
    ],
)
def test_who_may_register(
    request: pytest.FixtureRequest, persona: str, status: str | None, event: Event
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302
    registration = Registration.objects.first()
    assert (registration.status if registration else None) == status


def test_registration_records_the_organisation(event: Event, cn_rep: User, student: User) -> None:
    assert services.event_register(actor=cn_rep, event=event).organization == cn_rep.organization
    assert services.event_register(actor=student, event=event).organization is None
    with pytest.raises(ServiceError, match="already registered"):
        services.event_register(actor=student, event=event)


def test_capacity_is_never_exceeded(db: None) -> None:
    event = make_event(capacity=2)
    users = [UserFactory.create(organization=None) for _ in range(3)]
    services.event_register(actor=users[0], event=event)
    services.event_register(actor=users[1], event=event)
    with pytest.raises(ServiceError, match="full"):
        services.event_register(actor=users[2], event=event)
    assert event.registrations.count() == 2
    # A cancellation frees the place.
    services.registration_cancel(actor=users[0], registration=event.registrations.first())  # type: ignore[arg-type]
    services.event_register(actor=users[2], event=event)


def test_a_full_event_tells_the_user_in_their_language(
    student_client: Client, student: User
) -> None:
    event = make_event(capacity=1)
    register(UserFactory.create(organization=None), event)
    student_client.cookies["django_language"] = "zh-hans"
    response = student_client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "名额已满" in response.content.decode()
    assert not Registration.objects.filter(user=student).exists()


def test_past_events_are_closed(student: User) -> None:
    event = make_event(
        starts_at=DAY.replace(year=2020),
        ends_at=DAY.replace(year=2020, hour=18),
        meetings_start=None,
        meetings_end=None,
    )
    with pytest.raises(ServiceError, match="over"):
        services.event_register(actor=student, event=event)


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
def test_only_the_secretariat_manages_registrations(
    request: pytest.FixtureRequest, persona: str, status: int, ru_rep: User
) -> None:
    event = make_event(requires_approval=True)
    registration = services.event_register(actor=ru_rep, event=event)
    assert registration.status == RegistrationStatus.PENDING
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("events:manage", args=[event.pk])).status_code == status
    response = client.post(reverse("events:registration-action", args=[registration.pk, "approve"]))
    assert response.status_code == (302 if status == 200 else status)
    registration.refresh_from_db()
    expected = RegistrationStatus.APPROVED if status == 200 else RegistrationStatus.PENDING
    assert registration.status == expected


def test_refusal_needs_a_reason_and_attendance_needs_a_registration(
    secretariat: User, secretariat_client: Client, ru_rep: User, student: User
) -> None:
    event = make_event(requires_approval=True)
    pending = services.event_register(actor=ru_rep, event=event)
    url = reverse("events:registration-action", args=[pending.pk, "reject"])
    secretariat_client.post(url, {"reason": ""})
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.PENDING
    with pytest.raises(ServiceError, match="Only registered"):
        services.attendance_set(actor=secretariat, registration=pending, attended=True)
    secretariat_client.post(url, {"reason": "Places are for member colleges."})
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == ("rejected", "Places are for member colleges.")

    approved = services.event_register(actor=student, event=event)
    services.registration_decide(actor=secretariat, registration=approved, approve=True)
    secretariat_client.post(reverse("events:registration-action", args=[approved.pk, "present"]))
    approved.refresh_from_db()
    assert approved.attended_at is not None
    with pytest.raises(NotAllowed):
        services.attendance_set(actor=student, registration=approved, attended=False)


def test_only_the_participant_or_the_secretariat_cancels(
    event: Event, cn_rep: User, ru_rep_client: Client, cn_rep_client: Client
) -> None:
    registration = register(cn_rep, event)
    url = reverse("events:cancel-registration", args=[registration.pk])
    assert ru_rep_client.post(url).status_code == 403
    assert cn_rep_client.post(url).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_event_list_queries_do_not_grow(
    anon_client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        make_event(title_en=f"Event {n}")
    with django_assert_max_num_queries(4):
        response = anon_client.get(reverse("events:list"))
    assert len(response.context["page"]) == 6


def test_the_decision_is_e_mailed_in_the_participant_language(
    secretariat: User, ru_rep: User, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    ru_rep.email = "ru@college.example"
    ru_rep.save()
    event = make_event(requires_approval=True)
    registration = services.event_register(actor=ru_rep, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            actor=secretariat, registration=registration, approve=False, reason="Нет мест."
        )
    (email,) = mail.outbox
    assert email.to == ["ru@college.example"]
    assert "не принята" in email.subject and "Нет мест." in email.body
