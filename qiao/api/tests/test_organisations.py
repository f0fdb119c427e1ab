"""/api/organisations/: the public directory, names in every language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qiao.api.tests.conftest import PERSONAS, World, result_ids
from qiao.core.testing.api import field_errors
from qiao.organizations.models import Organization

URL = "/api/organisations/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_every_organisation(
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    cn_org: Organization,
    ru_org: Organization,
    other_org: Organization,
) -> None:
    response = api_for(persona).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    by_id = {o["id"]: o for o in body["results"]}
    assert set(by_id) == {cn_org.pk, ru_org.pk, other_org.pk}
    cn = by_id[cn_org.pk]
    assert cn["names"] == {"zh": cn_org.name_zh, "ru": "", "en": cn_org.name_en}
    assert cn["name"] == cn_org.name_en
    assert (cn["kind"], cn["kind_display"]) == ("higher_vocational", "Higher-vocational college")
    assert (cn["country"], cn["country_display"]) == ("CN", "China")
    # Published profiles only: cn_submitted does not count.
    assert cn["published_profiles"] == 1
    assert by_id[other_org.pk]["published_profiles"] == 1
    # Who looks after an organisation is internal.
    assert "broker" not in cn


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_open_an_organisation(
    world: World, api_for: Callable[[str], APIClient], persona: str, ru_org: Organization
) -> None:
    response = api_for(persona).get(f"{URL}{ru_org.pk}/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == ru_org.pk
    assert body["name"] == ru_org.name_ru
    assert body["names"] == {"zh": "", "ru": ru_org.name_ru, "en": ru_org.name_en}
    assert body["description"] == ru_org.description
    assert body["description_language"] == "ru"
    assert body["published_profiles"] == 1


def test_unknown_organisation_is_404(world: World, anon_api: APIClient) -> None:
    assert anon_api.get(f"{URL}999999/").status_code == 404
    assert anon_api.get(f"{URL}abc/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"cn_org", "ru_org", "other_org"}),
        ({"country": "RU"}, {"ru_org"}),
        ({"country": "CN"}, {"cn_org"}),
        ({"kind": "enterprise"}, {"other_org"}),
        ({"kind": "enterprise", "country": "CN"}, set()),
        ({"q": "Новосибирский"}, {"ru_org"}),
        ({"q": "哈尔滨"}, {"cn_org"}),
        ({"country": "", "kind": "", "q": ""}, {"cn_org", "ru_org", "other_org"}),
    ],
)
def test_filters(
    request: pytest.FixtureRequest,
    world: World,
    anon_api: APIClient,
    params: dict[str, str],
    expected: set[str],
) -> None:
    response = anon_api.get(URL, params)

    assert response.status_code == 200
    assert result_ids(response.json()) == {request.getfixturevalue(name).pk for name in expected}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"country": "XX"}, "country"), ({"kind": "castle"}, "kind"), ({"q": "x" * 201}, "q")],
)
def test_invalid_filters_are_400(
    world: World, anon_api: APIClient, params: dict[str, str], field: str
) -> None:
    response = anon_api.get(URL, params)

    assert response.status_code == 400
    assert list(field_errors(response)) == [field]


@pytest.mark.parametrize("persona", ["anon", "secretariat", "cn_rep"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    method: str,
    cn_org: Organization,
) -> None:
    api = api_for(persona)
    url = URL if method == "post" else f"{URL}{cn_org.pk}/"
    response = getattr(api, method)(url, {"name_en": "Renamed"}, format="json")

    assert response.status_code == 405
    cn_org.refresh_from_db()
    assert cn_org.name_en != "Renamed"


def test_list_query_count(
    world: World, anon_api: APIClient, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # count + page
        anon_api.get(URL)
