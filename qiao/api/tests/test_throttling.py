"""API rate limits (issue 15, item 3): per address for anonymous calls, per user for signed-in
ones (QIAO_API_RATE_ANON, QIAO_API_RATE_USER), answered with 429 and Retry-After."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from qiao.accounts.models import User
from qiao.core.testing.api import error_detail

URL = "/api/sectors/"


def _allowed(scope: str) -> int:
    return int(str(SimpleRateThrottle.THROTTLE_RATES[scope]).split("/")[0])


def test_anonymous_calls_are_limited_per_address(db: None) -> None:
    api = APIClient()
    statuses = [api.get(URL).status_code for _n in range(_allowed("anon"))]
    assert set(statuses) == {200}

    refused = api.get(URL, HTTP_ACCEPT_LANGUAGE="ru")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Запрос был проигнорирован" in error_detail(refused)
    # Another address is not affected.
    assert APIClient(REMOTE_ADDR="198.51.100.3").get(URL).status_code == 200


def test_signed_in_calls_are_limited_per_user(
    monkeypatch: pytest.MonkeyPatch, cn_rep: User, cn_rep_api: APIClient, ru_rep_api: APIClient
) -> None:
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/min")
    assert [cn_rep_api.get(URL).status_code for _n in range(3)] == [200] * 3

    assert cn_rep_api.get(URL).status_code == 429
    assert ru_rep_api.get(URL).status_code == 200
