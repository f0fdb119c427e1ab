"""Sign-up is rate-limited per client address (issue 15, item 3: 10 student accounts were
created from one address in 4.5 s)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from qiao.accounts.models import User

pytestmark = pytest.mark.django_db


def _signup(client: Client, n: int) -> int:
    data = {
        "first_name": "Ли",
        "last_name": f"Мин {n}",
        "email": f"student{n}@college.example",
        "preferred_language": "ru",
        "password1": "welding-is-my-future-2026",
        "password2": "welding-is-my-future-2026",
    }
    response = client.post(reverse("accounts:signup"), data)
    client.logout()
    return int(response.status_code)


def test_ten_sign_ups_in_a_burst_are_refused_after_the_limit() -> None:
    allowed = int(str(SimpleRateThrottle.THROTTLE_RATES["signup"]).split("/")[0])
    client = Client()
    started = time.monotonic()

    statuses = [_signup(client, n) for n in range(10)]

    assert time.monotonic() - started < 4.5  # as fast as the reproduction
    assert statuses == [302] * allowed + [429] * (10 - allowed)
    assert User.objects.count() == allowed


def test_the_limit_is_per_address() -> None:
    crowded = Client(REMOTE_ADDR="203.0.113.5")
    while _signup(crowded, User.objects.count()) != 429:
        pass

    assert _signup(Client(REMOTE_ADDR="198.51.100.8"), 99) == 302


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh-hans", "请稍等片刻后再试"),
        ("ru", "Пожалуйста, подождите"),
        ("en", "Please wait a while and try again."),
    ],
)
def test_the_refusal_is_translated(language: str, text: str) -> None:
    client = Client()
    while _signup(client, User.objects.count()) != 429:
        pass

    response = client.post(reverse("accounts:signup"), {}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 429
    assert text in response.content.decode()
