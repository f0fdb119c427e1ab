"""GET /api/profiles/: every persona sees exactly the profiles the selectors allow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qiao.api.tests.conftest import (
    PERSONAS,
    PUBLISHED,
    VISIBLE_PROFILES,
    World,
    names_to_ids,
    result_ids,
)
from qiao.core.testing.api import field_errors
from qiao.core.testing.factories import ProfileFactory
from qiao.organizations.models import Organization

URL = "/api/profiles/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_its_profiles(
    world: World, api_for: Callable[[str], APIClient], persona: str
) -> None:
    response = api_for(persona).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert result_ids(body) == names_to_ids(world, VISIBLE_PROFILES[persona])
    assert body["count"] == len(VISIBLE_PROFILES[persona])


@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("anon", "draft", set()),
        ("anon", "published", PUBLISHED),
        ("cn_rep", "draft", set()),
        ("cn_rep", "submitted", {"cn_submitted"}),
        ("ru_rep", "draft", {"ru_draft"}),
        ("outsider", "draft", {"other_draft"}),
        ("broker", "draft", {"ru_draft"}),
        ("broker", "submitted", {"cn_submitted", "other_submitted"}),
        ("secretariat", "draft", {"ru_draft", "other_draft"}),
    ],
)
def test_status_filter_never_widens_visibility(
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    status: str,
    expected: set[str],
) -> None:
    response = api_for(persona).get(URL, {"status": status})

    assert result_ids(response.json()) == names_to_ids(world, expected)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "request"}, {"ru_request", "ru_draft", "other_request"}),
        ({"kind": "offer", "status": "published"}, {"cn_offer"}),
        ({"country": "RU"}, {"ru_request", "ru_draft"}),
        ({"country": "KZ", "status": "draft"}, {"other_draft"}),
        (
            {"sector": "manufacturing"},  # a top-level sector includes its sub-sectors
            {"cn_offer", "cn_submitted", "other_request", "other_submitted"},
        ),
        ({"sector": "manufacturing.laser"}, {"cn_offer", "other_request"}),
        ({"language": "ru"}, {"ru_request", "ru_draft"}),
        ({"language": "zh", "kind": "request"}, set()),
        ({"stage": "market"}, set()),
        ({"status": "submitted"}, {"cn_submitted", "other_submitted"}),
        (
            {"kind": "", "country": "", "sector": "", "status": ""},
            set(VISIBLE_PROFILES["secretariat"]),
        ),
    ],
)
def test_filters(
    world: World, secretariat_api: APIClient, params: dict[str, str], expected: set[str]
) -> None:
    response = secretariat_api.get(URL, params)

    assert response.status_code == 200
    assert result_ids(response.json()) == names_to_ids(world, expected)


def test_stage_filter_matches(world: World, anon_api: APIClient) -> None:
    world.ru_request.development_stage = "market"
    world.ru_request.save()

    response = anon_api.get(URL, {"stage": "market"})

    assert result_ids(response.json()) == {world.ru_request.pk}


def test_organisation_filter(
    world: World, outsider_api: APIClient, other_org: Organization, cn_org: Organization
) -> None:
    own = outsider_api.get(URL, {"organization": other_org.pk}).json()
    assert result_ids(own) == names_to_ids(
        world, {"other_request", "other_submitted", "other_draft"}
    )
    theirs = outsider_api.get(URL, {"organization": cn_org.pk}).json()
    assert result_ids(theirs) == {world.cn_offer.pk}  # not cn_submitted


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "idea"}, "kind"),
        ({"status": "lost"}, "status"),
        ({"country": "DE"}, "country"),
        ({"sector": "no-such-sector"}, "sector"),
        ({"stage": "dream"}, "stage"),
        ({"language": "de"}, "language"),
        ({"organization": "abc"}, "organization"),
    ],
)
def test_invalid_filters_are_field_errors(
    world: World, anon_api: APIClient, params: dict[str, str], field: str
) -> None:
    response = anon_api.get(URL, params)

    assert response.status_code == 400
    assert list(field_errors(response)) == [field]


def test_payload(world: World, cn_rep_api: APIClient, cn_org: Organization) -> None:
    response = cn_rep_api.get(
        URL, {"status": "published", "kind": "offer"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    [item] = response.json()["results"]
    offer = world.cn_offer
    assert item["id"] == offer.pk
    assert item["title"] == offer.title
    assert item["language"] == "zh"
    assert (item["kind"], item["kind_display"]) == ("offer", "Technology offer")
    assert (item["status"], item["status_display"]) == ("published", "Published")
    assert item["keywords"] == offer.keywords
    assert item["partnership_types"] == offer.partnership_types
    assert item["target_countries"] == ["RU"]
    assert item["sectors"] == [
        {
            "code": "manufacturing.laser",
            "name": "Laser processing",
            "names": {"zh": "激光加工", "ru": "Лазерная обработка", "en": "Laser processing"},
        }
    ]
    assert item["organization"] == {"id": cn_org.pk, "name": cn_org.name_en, "country": "CN"}
    assert item["can_edit"] is True
    assert item["published_at"] is not None


@pytest.mark.parametrize(
    ("persona", "can_edit"),
    [
        ("anon", False),
        ("secretariat", True),
        ("broker", True),
        ("cn_rep", True),
        ("ru_rep", False),
        ("outsider", False),
    ],
)
def test_can_edit_flag(
    world: World, api_for: Callable[[str], APIClient], persona: str, can_edit: bool
) -> None:
    results = api_for(persona).get(URL).json()["results"]

    flags = {item["id"]: item["can_edit"] for item in results}
    assert flags[world.cn_offer.pk] is can_edit


def test_pagination(world: World, anon_api: APIClient) -> None:
    ProfileFactory.create_batch(25, published=True)

    first = anon_api.get(URL).json()
    second = anon_api.get(URL, {"page": 2}).json()

    assert first["count"] == second["count"] == 28
    assert len(first["results"]) == 20
    assert len(second["results"]) == 8
    assert result_ids(first).isdisjoint(result_ids(second))


def test_query_count_does_not_grow_with_results(
    world: World, secretariat_api: APIClient, django_assert_num_queries: Any
) -> None:
    ProfileFactory.create_batch(10, published=True)
    # token (knox: the token, then the user's expired tokens to delete) + count + page +
    # sectors prefetch
    with django_assert_num_queries(5):
        response = secretariat_api.get(URL)
    assert response.json()["count"] == 17
