"""/api/matches/, /api/matches/{id}/ and /api/matches/{id}/status/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qiao.api.tests.conftest import World, result_ids
from qiao.core.testing.api import error_detail, field_errors
from qiao.core.testing.factories import MatchFactory
from qiao.exchange.models import MatchStatus
from qiao.organizations.models import Organization

URL = "/api/matches/"

# Listed matches (both sides published) per persona; stale_match is never listed.
VISIBLE_MATCHES: dict[str, set[str]] = {
    "secretariat": {"match", "other_match"},
    "broker": {"match", "other_match"},
    "cn_rep": {"match", "other_match"},
    "ru_rep": {"match"},
    "outsider": {"other_match"},
}


def match_ids(world: World, names: set[str]) -> set[int]:
    return {world.match_named(name).pk for name in names}


def test_anonymous_sees_no_matches(world: World, anon_api: APIClient) -> None:
    assert anon_api.get(URL).status_code == 401
    assert anon_api.get(f"{URL}{world.match.pk}/").status_code == 401


@pytest.mark.parametrize("persona", list(VISIBLE_MATCHES))
def test_each_persona_lists_exactly_its_matches(
    world: World, api_for: Callable[[str], APIClient], persona: str
) -> None:
    response = api_for(persona).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert result_ids(body) == match_ids(world, VISIBLE_MATCHES[persona])
    assert [m["score"] for m in body["results"]] == sorted(
        (m["score"] for m in body["results"]), reverse=True
    )


@pytest.mark.parametrize(
    ("persona", "match_name", "expected"),
    [
        ("secretariat", "match", 200),
        ("secretariat", "other_match", 200),
        ("broker", "match", 200),
        ("broker", "other_match", 200),
        ("cn_rep", "match", 200),
        ("cn_rep", "other_match", 200),
        ("ru_rep", "match", 200),
        ("ru_rep", "other_match", 404),
        ("outsider", "match", 404),
        ("outsider", "other_match", 200),
    ],
)
def test_retrieve(
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    match_name: str,
    expected: int,
) -> None:
    match = world.match_named(match_name)

    response = api_for(persona).get(f"{URL}{match.pk}/")

    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert (body["offer"]["id"], body["request"]["id"]) == (match.offer_id, match.request_id)


def test_payload(world: World, ru_rep_api: APIClient, cn_org: Organization) -> None:
    match = world.match
    match.explanation = {
        "semantic": 0.83,
        "lexical": 0.41,
        "passages": [{"query": "лазерная наплавка", "match": "激光熔覆", "similarity": 0.9}],
        "shared_terms": [],
        "shared_numbers": ["4 kW"],
        "shared_names": ["Harbin"],
        "query_side": "offer",
    }
    match.save()

    body = ru_rep_api.get(f"{URL}{match.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()

    assert body["score"] == 80.0
    assert body["explanation"] == match.explanation
    assert body["offer"] == {
        "id": world.cn_offer.pk,
        "kind": "offer",
        "status": "published",
        "language": "zh",
        "title": world.cn_offer.title,
        "organization": {"id": cn_org.pk, "name": cn_org.name_zh, "country": "CN"},
    }
    assert body["request"]["title"] == world.ru_request.title
    assert (body["offer_status"], body["request_status"]) == ("new", "new")
    assert body["editable_sides"] == ["request"]
    assert body["model_name"] == "test-model"


@pytest.mark.parametrize(
    ("persona", "match_name", "sides"),
    [
        ("secretariat", "match", ["offer", "request"]),
        ("secretariat", "other_match", ["offer", "request"]),
        ("broker", "match", ["offer", "request"]),
        ("broker", "other_match", ["offer"]),  # other_org is not the broker's
        ("cn_rep", "match", ["offer"]),
        ("cn_rep", "other_match", ["offer"]),
        ("ru_rep", "match", ["request"]),
        ("outsider", "other_match", ["request"]),
    ],
)
def test_editable_sides(
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    match_name: str,
    sides: list[str],
) -> None:
    match = world.match_named(match_name)

    body = api_for(persona).get(f"{URL}{match.pk}/").json()

    assert body["editable_sides"] == sides


def test_filters(
    world: World,
    broker_api: APIClient,
    outsider_api: APIClient,
    ru_org: Organization,
    cn_org: Organization,
) -> None:
    world.match.request_status = MatchStatus.SHORTLISTED
    world.match.save()

    def listed(api: APIClient, **params: Any) -> set[int]:
        response = api.get(URL, params)
        assert response.status_code == 200
        return result_ids(response.json())

    assert listed(broker_api, status="shortlisted") == {world.match.pk}
    assert listed(broker_api, status="new") == {world.match.pk, world.other_match.pk}
    assert listed(broker_api, status="dismissed") == set()
    assert listed(broker_api, organization=ru_org.pk) == {world.match.pk}
    assert listed(broker_api, organization=ru_org.pk, status="new") == {world.match.pk}
    # Filtering never widens what one sees.
    assert listed(outsider_api, organization=cn_org.pk) == {world.other_match.pk}
    assert listed(outsider_api, organization=ru_org.pk) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "married"}, "status"), ({"organization": "x"}, "organization")],
)
def test_invalid_filters(
    world: World, cn_rep_api: APIClient, params: dict[str, str], field: str
) -> None:
    response = cn_rep_api.get(URL, params)

    assert response.status_code == 400
    assert list(field_errors(response)) == [field]


def test_list_query_count(
    world: World, secretariat_api: APIClient, django_assert_num_queries: Any
) -> None:
    MatchFactory.create_batch(5)
    # token (knox: the token, then the user's expired tokens to delete), count, page
    with django_assert_num_queries(4):
        response = secretariat_api.get(URL)
    assert response.json()["count"] == 7


# --- POST /api/matches/{id}/status/ ----------------------------------------------------------

# (persona, match, side) -> HTTP status
STATUS_TABLE = [
    ("anon", "match", "offer", 401),
    ("secretariat", "match", "offer", 200),
    ("secretariat", "match", "request", 200),
    ("broker", "match", "offer", 200),
    ("broker", "match", "request", 200),
    ("broker", "other_match", "offer", 200),
    ("broker", "other_match", "request", 403),
    ("cn_rep", "match", "offer", 200),
    ("cn_rep", "match", "request", 403),
    ("ru_rep", "match", "request", 200),
    ("ru_rep", "match", "offer", 403),
    ("ru_rep", "other_match", "request", 404),
    ("outsider", "match", "request", 404),
    ("outsider", "other_match", "request", 200),
    ("outsider", "other_match", "offer", 403),
]


@pytest.mark.parametrize(("persona", "match_name", "side", "expected"), STATUS_TABLE)
def test_who_may_set_which_side(
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    match_name: str,
    side: str,
    expected: int,
) -> None:
    match = world.match_named(match_name)

    response = api_for(persona).post(
        f"{URL}{match.pk}/status/",
        {"side": side, "status": "shortlisted"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == expected, response.content
    match.refresh_from_db()
    other = "request" if side == "offer" else "offer"
    assert getattr(match, f"{other}_status") == MatchStatus.NEW
    if expected == 200:
        assert getattr(match, f"{side}_status") == MatchStatus.SHORTLISTED
        assert response.json()[f"{side}_status"] == "shortlisted"
    else:
        assert getattr(match, f"{side}_status") == MatchStatus.NEW
    if expected == 403:
        assert error_detail(response) == "You may not change this match."


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"side", "status"}),
        ({"side": "middle", "status": "seen"}, {"side"}),
        ({"side": "offer", "status": "married"}, {"status"}),
    ],
)
def test_invalid_status_bodies(
    world: World, cn_rep_api: APIClient, body: dict[str, str], fields: set[str]
) -> None:
    response = cn_rep_api.post(f"{URL}{world.match.pk}/status/", body, format="json")

    assert response.status_code == 400
    assert set(field_errors(response)) == fields
    world.match.refresh_from_db()
    assert world.match.offer_status == MatchStatus.NEW


def test_reading_a_match_changes_nothing(world: World, cn_rep_api: APIClient) -> None:
    """Unlike the web page, GET is safe: it does not mark the match as seen."""
    cn_rep_api.get(f"{URL}{world.match.pk}/")

    world.match.refresh_from_db()
    assert world.match.offer_status == MatchStatus.NEW


def test_an_invisible_match_is_404_whatever_the_body(world: World, ru_rep_api: APIClient) -> None:
    response = ru_rep_api.post(f"{URL}{world.other_match.pk}/status/", {}, format="json")

    assert response.status_code == 404
