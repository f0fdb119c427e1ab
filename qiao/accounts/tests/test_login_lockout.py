"""Login lockout (django-axes), issue 15 item 3: 60 wrong passwords followed by the right one
used to log in, on the web and at /api/auth/token/. Now a user name is refused from one
address after QIAO_LOGIN_FAILURE_LIMIT failures, and the right password does not help."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from qiao.accounts.models import User
from qiao.core.testing.api import error_detail
from qiao.core.testing.factories import PASSWORD

TOKEN_URL = "/api/auth/token/"
ATTEMPTS = 60  # the reproduction


def _web_login(client: Client, username: str, password: str, forwarded_for: str = "") -> int:
    headers: dict[str, Any] = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **headers
    )
    return int(response.status_code)


def test_web_login_is_locked_after_repeated_failures(cn_rep: User) -> None:
    client = Client()
    statuses = [_web_login(client, "cn_rep", f"guess-{n}") for n in range(ATTEMPTS)]

    # The form is shown again until the limit, then every attempt is refused.
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit:]) == {429}
    response = client.post(
        reverse("accounts:login"),
        {"username": "cn_rep", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Слишком много неудачных попыток входа" in response.content.decode()


def test_token_endpoint_is_locked_after_repeated_failures(
    cn_rep: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The API's per-address rate limit alone would refuse the 61st request: switched off
    # here to show the lockout (qiao/api/tests/test_throttling.py tests the rate limit).
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", None)
    api = APIClient()
    statuses = [
        api.post(TOKEN_URL, {"username": "cn_rep", "password": f"guess-{n}"}).status_code
        for n in range(ATTEMPTS)
    ]
    assert set(statuses[settings.AXES_FAILURE_LIMIT :]) == {429}

    response = api.post(
        TOKEN_URL, {"username": "cn_rep", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 429
    assert "登录失败次数过多" in error_detail(response)
    assert not AuthToken.objects.exists()


def test_failures_on_the_web_count_for_the_api_too(cn_rep: User) -> None:
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _web_login(client, "cn_rep", f"guess-{n}")

    response = APIClient().post(TOKEN_URL, {"username": "cn_rep", "password": PASSWORD})

    assert response.status_code == 429


def test_lockout_is_per_user_name_and_address(cn_rep: User, ru_rep: User) -> None:
    """An attacker cannot lock a user out everywhere, nor lock out everyone at one address
    (a college behind one NAT address)."""
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _web_login(attacker, "cn_rep", f"guess-{n}")
    assert _web_login(attacker, "cn_rep", PASSWORD) == 429

    assert _web_login(Client(REMOTE_ADDR="198.51.100.7"), "cn_rep", PASSWORD) == 302
    assert _web_login(Client(REMOTE_ADDR="203.0.113.9"), "ru_rep", PASSWORD) == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count(cn_rep: User) -> None:
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _web_login(client, "cn_rep", f"guess-{n}", forwarded_for=f"10.0.0.{n}")

    assert _web_login(client, "cn_rep", PASSWORD, forwarded_for="10.0.1.1") == 429


def test_a_success_before_the_limit_starts_the_count_again(cn_rep: User) -> None:
    """Someone who mistypes now and then is never locked out (nor are tests that log in
    many times)."""
    client = Client()
    for _round in range(3):
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            _web_login(client, "cn_rep", f"typo-{n}")
        assert _web_login(client, "cn_rep", PASSWORD) == 302
        client.logout()


@pytest.mark.parametrize("language", ["zh-hans", "ru", "en"])
def test_lockout_message_is_translated(cn_rep: User, language: str) -> None:
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _web_login(client, "cn_rep", f"guess-{n}")

    response = client.post(
        reverse("accounts:login"),
        {"username": "cn_rep", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    expected = {
        "zh-hans": "登录失败次数过多",
        "ru": "Слишком много неудачных попыток входа",
        "en": "Too many failed logins",
    }[language]
    assert expected in response.content.decode()
