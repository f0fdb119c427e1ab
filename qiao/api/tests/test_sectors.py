"""/api/sectors/: the two-level taxonomy, names in the three languages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qiao.api.tests.conftest import PERSONAS, World

URL = "/api/sectors/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_gets_the_tree(
    world: World, api_for: Callable[[str], APIClient], persona: str
) -> None:
    response = api_for(persona).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    tree = response.json()
    assert [top["code"] for top in tree] == ["agriculture", "manufacturing"]
    manufacturing = tree[1]
    assert manufacturing["name"] == "Manufacturing"
    assert manufacturing["children"] == [
        {
            "code": "manufacturing.laser",
            "name": "Laser processing",
            "names": {"zh": "激光加工", "ru": "Лазерная обработка", "en": "Laser processing"},
        }
    ]
    assert tree[0]["children"] == []
    assert set(tree[0]["names"]) == {"zh", "ru", "en"}


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("zh-hans", "激光加工"),
        ("zh-CN", "激光加工"),
        ("ru", "Лазерная обработка"),
        ("en", "Laser processing"),
    ],
)
def test_names_follow_accept_language(
    world: World, anon_api: APIClient, language: str, name: str
) -> None:
    response = anon_api.get(URL, HTTP_ACCEPT_LANGUAGE=language)

    assert response.json()[1]["children"][0]["name"] == name


def test_one_query(world: World, anon_api: APIClient, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        anon_api.get(URL)


def test_read_only(world: World, secretariat_api: APIClient) -> None:
    assert secretariat_api.post(URL, {"code": "x"}, format="json").status_code == 405
