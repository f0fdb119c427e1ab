"""GET /api/profiles/{id}/: a profile the user may not see does not exist for them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from qiao.api.serializers import _MODEL_FIELDS, ProfileSerializer
from qiao.api.tests.conftest import PERSONAS, PROFILE_NAMES, VISIBLE_PROFILES, World
from qiao.core.testing.api import error_detail
from qiao.exchange.models import ProfileStatus


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_opens_exactly_the_profiles_it_may_see(
    world: World, api_for: Callable[[str], APIClient], persona: str
) -> None:
    api = api_for(persona)
    statuses = {
        name: api.get(f"/api/profiles/{world.profile(name).pk}/").status_code
        for name in PROFILE_NAMES
    }

    expected = {name: 200 if name in VISIBLE_PROFILES[persona] else 404 for name in PROFILE_NAMES}
    assert statuses == expected


def test_detail_payload(world: World, ru_rep_api: APIClient) -> None:
    draft = world.ru_draft

    body = ru_rep_api.get(f"/api/profiles/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["id"] == draft.pk
    assert body["title"] == draft.title
    assert body["summary"] == draft.summary
    assert body["description"] == draft.description
    assert body["advantages"] == draft.advantages
    assert body["technical_specification"] == draft.technical_specification
    assert (body["status"], body["status_display"]) == ("draft", "Draft")
    assert (body["development_stage"], body["development_stage_display"]) == (
        "prototype",
        "Field-tested prototype",
    )
    assert (body["ipr_status"], body["ipr_status_display"]) == ("granted", "Patent granted")
    assert body["published_at"] is None
    assert body["can_edit"] is True


def test_rejection_reason_is_shown_to_the_owner(world: World, cn_rep_api: APIClient) -> None:
    profile = world.cn_submitted
    profile.status = ProfileStatus.REJECTED
    profile.rejection_reason = "请补充技术参数。"
    profile.save()

    body = cn_rep_api.get(f"/api/profiles/{profile.pk}/").json()

    assert body["status"] == "rejected"
    assert body["rejection_reason"] == "请补充技术参数。"


def test_not_found_message_follows_the_language(world: World, anon_api: APIClient) -> None:
    response = anon_api.get(f"/api/profiles/{world.ru_draft.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert error_detail(response) == "No such profile, or you may not see it."


def test_unknown_ids(world: World, secretariat_api: APIClient) -> None:
    assert secretariat_api.get("/api/profiles/999999/").status_code == 404
    assert secretariat_api.get("/api/profiles/abc/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_is_not_offered(
    world: World, api_for: Callable[[str], APIClient], persona: str
) -> None:
    """Profiles are archived, never deleted."""
    response = api_for(persona).delete(f"/api/profiles/{world.cn_offer.pk}/")

    assert response.status_code == (401 if persona == "anon" else 405)
    world.cn_offer.refresh_from_db()


def test_fields_built_once_per_class_render_as_freshly_built_ones(
    world: World, ru_rep_api: APIClient
) -> None:
    """ReadModelSerializer builds a class's fields once and copies them for each instance:
    the copies are not shared, and every language renders as with fields built anew."""
    first, second = ProfileSerializer(), ProfileSerializer()
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].parent is first

    url = f"/api/profiles/{world.ru_draft.pk}/"
    for language in ("zh-hans", "ru", "en"):
        cached = ru_rep_api.get(url, HTTP_ACCEPT_LANGUAGE=language).json()
        _MODEL_FIELDS.clear()
        fresh = ru_rep_api.get(url, HTTP_ACCEPT_LANGUAGE=language).json()
        assert cached == fresh
    assert cached["status_display"] == "Draft"
