"""The public application form e-mails the address typed in: it is rate-limited per client
address and per e-mail address (issue 15, item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from qiao.alliance.models import MembershipApplication, Specialty
from qiao.alliance.tests.conftest import form_post

pytestmark = pytest.mark.django_db

URL = reverse("alliance:apply")
RATES = SimpleRateThrottle.THROTTLE_RATES


def _allowed(scope: str) -> int:
    return int(str(RATES[scope]).split("/")[0])


def _apply(client: Client, specialty: Specialty, email: str, capture: Any) -> int:
    with capture(execute=True):
        response = client.post(URL, form_post(specialty, rep_email=email))
    return int(response.status_code)


def test_one_e_mail_address_receives_a_bounded_number_of_messages(
    specialty: Specialty, django_capture_on_commit_callbacks: Any
) -> None:
    victim = "victim@example.org"
    statuses = [
        _apply(
            Client(REMOTE_ADDR=f"198.51.100.{n}"),
            specialty,
            victim,
            django_capture_on_commit_callbacks,
        )
        for n in range(6)
    ]

    allowed = _allowed("alliance_application_email")
    assert statuses == [302] * allowed + [429] * (6 - allowed)
    assert MembershipApplication.objects.count() == allowed
    assert sum(victim in message.to for message in mail.outbox) == allowed


def test_one_client_address_submits_a_bounded_number_of_applications(
    specialty: Specialty, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client(REMOTE_ADDR="203.0.113.20")
    statuses = [
        _apply(client, specialty, f"rep{n}@college.example", django_capture_on_commit_callbacks)
        for n in range(8)
    ]

    allowed = _allowed("alliance_application")
    assert statuses == [302] * allowed + [429] * (8 - allowed)
    response = client.post(URL, {}, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Пожалуйста, подождите" in response.content.decode()
