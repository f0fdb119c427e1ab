"""GET /api/profiles/{id}/matches/: a profile's matches, as far as the user may see them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from qiao.api.tests.conftest import PERSONAS, World, result_ids

# (profile) -> persona -> matches listed (None: 404, the profile is invisible; 401: anonymous)
TABLE: dict[str, dict[str, set[str] | int]] = {
    "cn_offer": {
        "anon": 401,
        "secretariat": {"match", "other_match"},  # never stale_match: its request is a draft
        "broker": {"match", "other_match"},
        "cn_rep": {"match", "other_match"},
        "ru_rep": {"match"},
        "outsider": {"other_match"},
    },
    "ru_request": {
        "anon": 401,
        "secretariat": {"match"},
        "broker": {"match"},
        "cn_rep": {"match"},
        "ru_rep": {"match"},
        "outsider": set(),
    },
    "ru_draft": {
        "anon": 401,
        "secretariat": set(),
        "broker": set(),
        "cn_rep": 404,
        "ru_rep": set(),
        "outsider": 404,
    },
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("profile_name", list(TABLE))
def test_matches_of_a_profile(
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    profile_name: str,
) -> None:
    profile = world.profile(profile_name)

    response = api_for(persona).get(f"/api/profiles/{profile.pk}/matches/")

    expected = TABLE[profile_name][persona]
    if isinstance(expected, int):
        assert response.status_code == expected
        return
    assert response.status_code == 200
    body = response.json()
    assert result_ids(body) == {world.match_named(name).pk for name in expected}
    for item in body["results"]:
        assert profile.pk in (item["offer"]["id"], item["request"]["id"])
        assert set(item["explanation"]) >= {"semantic", "lexical", "passages"}


def test_best_first(world: World, secretariat_api: APIClient) -> None:
    body = secretariat_api.get(f"/api/profiles/{world.cn_offer.pk}/matches/").json()

    assert [m["id"] for m in body["results"]] == [world.match.pk, world.other_match.pk]
    assert [m["score"] for m in body["results"]] == [80.0, 60.0]
