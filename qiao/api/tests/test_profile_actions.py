"""POST /api/profiles/{id}/{submit,publish,reject,renew,archive}/: the lifecycle services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qiao.api.tests.conftest import PERSONAS, World
from qiao.core.testing.api import error_detail, field_errors
from qiao.exchange.models import ProfileEvent, ProfileStatus

# action -> (profile, {persona: HTTP status}, status after success)
# 404: the persona may not see the profile; 403: the service refuses the persona.
ACTIONS: dict[str, tuple[str, dict[str, int], str]] = {
    "submit": (
        "ru_draft",
        {
            "anon": 401,
            "secretariat": 200,
            "broker": 200,
            "cn_rep": 404,
            "ru_rep": 200,
            "outsider": 404,
        },
        ProfileStatus.SUBMITTED,
    ),
    "publish": (
        "cn_submitted",
        {
            "anon": 401,
            "secretariat": 200,
            "broker": 200,
            "cn_rep": 403,  # an owner may not publish their own profile
            "ru_rep": 404,
            "outsider": 404,
        },
        ProfileStatus.PUBLISHED,
    ),
    "reject": (
        "other_submitted",
        {
            "anon": 401,
            "secretariat": 200,
            "broker": 200,  # brokers review every submitted profile
            "cn_rep": 404,
            "ru_rep": 404,
            "outsider": 403,
        },
        ProfileStatus.REJECTED,
    ),
    "renew": (
        "cn_offer",
        {
            "anon": 401,
            "secretariat": 200,
            "broker": 200,
            "cn_rep": 200,
            "ru_rep": 403,
            "outsider": 403,
        },
        ProfileStatus.PUBLISHED,
    ),
    "archive": (
        "ru_request",
        {
            "anon": 401,
            "secretariat": 200,
            "broker": 200,
            "cn_rep": 403,
            "ru_rep": 200,
            "outsider": 403,
        },
        ProfileStatus.ARCHIVED,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_who_may_do_what(
    request: pytest.FixtureRequest,
    world: World,
    api_for: Callable[[str], APIClient],
    action: str,
    persona: str,
) -> None:
    profile_name, table, status_after = ACTIONS[action]
    profile = world.profile(profile_name)
    status_before = profile.status
    body = {"reason": "Please add the technical parameters."} if action == "reject" else {}

    response = api_for(persona).post(f"/api/profiles/{profile.pk}/{action}/", body, format="json")

    expected = table[persona]
    assert response.status_code == expected, response.content
    profile.refresh_from_db()
    events = ProfileEvent.objects.filter(profile=profile)
    if expected == 200:
        assert profile.status == status_after
        assert response.json()["status"] == status_after
        actor = request.getfixturevalue(persona)
        assert events.get().actor == actor
    else:
        assert profile.status == status_before
        assert not events.exists()


def test_publish_sets_dates_and_schedules_indexing(
    world: World, broker_api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    profile = world.cn_submitted
    with django_capture_on_commit_callbacks() as callbacks:
        response = broker_api.post(f"/api/profiles/{profile.pk}/publish/")

    assert response.status_code == 200
    assert len(callbacks) == 1
    body = response.json()
    assert body["published_at"] is not None
    profile.refresh_from_db()
    assert profile.expires_at is not None
    assert profile.expires_at - profile.published_at == timedelta(days=365)  # type: ignore[operator]


def test_reject_records_the_reason(world: World, broker_api: APIClient) -> None:
    profile = world.cn_submitted

    response = broker_api.post(
        f"/api/profiles/{profile.pk}/reject/", {"reason": "  请补充技术参数。 "}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["rejection_reason"] == "请补充技术参数。"
    assert ProfileEvent.objects.get(profile=profile).note == "请补充技术参数。"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 2001}])
def test_reject_needs_a_reason(world: World, broker_api: APIClient, body: dict[str, str]) -> None:
    profile = world.cn_submitted

    response = broker_api.post(f"/api/profiles/{profile.pk}/reject/", body, format="json")

    assert response.status_code == 400
    assert list(field_errors(response)) == ["reason"]
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SUBMITTED


def test_renew_extends_the_expiry(world: World, cn_rep_api: APIClient) -> None:
    profile = world.cn_offer
    profile.expires_at = timezone.now() + timedelta(days=3)
    profile.save()

    cn_rep_api.post(f"/api/profiles/{profile.pk}/renew/")

    profile.refresh_from_db()
    assert profile.expires_at is not None
    assert profile.expires_at > timezone.now() + timedelta(days=360)


@pytest.mark.parametrize(
    ("action", "profile_name", "status_label"),
    [
        ("submit", "cn_offer", "Published"),
        ("publish", "ru_draft", "Draft"),
        ("reject", "cn_offer", "Published"),
        ("renew", "ru_draft", "Draft"),
    ],
)
def test_impossible_transitions_are_400_with_the_reason(
    world: World,
    secretariat_api: APIClient,
    action: str,
    profile_name: str,
    status_label: str,
) -> None:
    profile = world.profile(profile_name)
    status_before = profile.status

    response = secretariat_api.post(
        f"/api/profiles/{profile.pk}/{action}/",
        {"reason": "No."},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert error_detail(response) == (
        f"This action is not possible while the profile is {status_label}."
    )
    profile.refresh_from_db()
    assert profile.status == status_before


def test_archived_profiles_cannot_be_archived_again(world: World, cn_rep_api: APIClient) -> None:
    url = f"/api/profiles/{world.cn_offer.pk}/archive/"
    assert cn_rep_api.post(url).status_code == 200

    response = cn_rep_api.post(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert error_detail(response) == "You may not archive this profile."


def test_refusals_are_translated(world: World, cn_rep_api: APIClient) -> None:
    en = cn_rep_api.post(
        f"/api/profiles/{world.cn_submitted.pk}/publish/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert en.status_code == 403
    assert error_detail(en) == (
        "Only technology managers and the secretariat may publish profiles."
    )
    assert en["Content-Language"] == "en"
    # cn_rep prefers Chinese: without Accept-Language the answer is in Chinese.
    zh = cn_rep_api.post(f"/api/profiles/{world.cn_submitted.pk}/publish/")
    assert zh["Content-Language"] == "zh-hans"


@pytest.mark.parametrize("action", list(ACTIONS))
def test_actions_are_post_only(world: World, secretariat_api: APIClient, action: str) -> None:
    profile_name = ACTIONS[action][0]
    profile = world.profile(profile_name)

    response = secretariat_api.get(f"/api/profiles/{profile.pk}/{action}/")

    assert response.status_code == 405


def test_an_invisible_profile_is_404_whatever_the_body(world: World, cn_rep_api: APIClient) -> None:
    response = cn_rep_api.post(
        f"/api/profiles/{world.other_submitted.pk}/reject/", {}, format="json"
    )

    assert response.status_code == 404
