"""The member directory's API: public, filterable, the composition; contacts only for member
representatives and the secretariat, as on the web pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qiao.alliance.demo import load_alliance
from qiao.alliance.models import Membership
from qiao.core.testing.api import field_errors
from qiao.demo.loader import load_organizations

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "sees_contact"),
    [
        ("anon_api", False),
        ("outsider_api", False),
        ("broker_api", False),
        ("ru_rep_api", True),
        ("secretariat_api", True),
    ],
)
def test_members_list_and_contacts(
    request: pytest.FixtureRequest, persona: str, sees_contact: bool, ru_member: Membership
) -> None:
    api: APIClient = request.getfixturevalue(persona)
    response = api.get("/api/alliance/members/", {"country": "RU", "specialty": "welding"})
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert (item["organization"], item["region"], item["specialties"]) == (
        ru_member.organization_id,
        "RU-KHA",
        ["welding"],
    )
    contact = item["contact"]
    assert (contact == {"name": "Ирина Контактова", "email": "irina@college.example"}) is (
        sees_contact
    )
    assert (contact is None) is (not sees_contact)


def test_bad_filters_are_refused_with_a_translated_message(anon_api: APIClient) -> None:
    response = anon_api.get(
        "/api/alliance/members/", {"region": "XX-00"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    assert "region" in field_errors(response)
    assert "допустимых" in field_errors(response)["region"][0]


def test_composition(anon_api: APIClient) -> None:
    load_organizations()
    load_alliance()
    body = anon_api.get("/api/alliance/composition/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["total"] == 153 and body["chinese_regions"] == 22
    categories = {c["value"]: (c["name"], c["count"]) for c in body["categories"]}
    assert categories["higher_vocational"] == ("高职院校", 83)
