"""Ids beyond the database's integer range (issue 15, item 8): a 400 (filters, bodies) or a
404 (paths) in the API's error shape, never a server error."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qiao.api.ids import ID_MAX

TOO_BIG = ID_MAX + 1  # 2**63: a Python int, but no SQLite or PostgreSQL bigint
HUGE = 2**70


@pytest.mark.parametrize("value", [TOO_BIG, HUGE, -TOO_BIG])
@pytest.mark.parametrize(
    "url", ["/api/profiles/", "/api/search/", "/api/matches/"], ids=lambda u: u.strip("/")
)
def test_filter_out_of_range_is_a_validation_error(
    secretariat_api: APIClient, url: str, value: int
) -> None:
    response = secretariat_api.get(url, {"organization": str(value)})

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert [e["attr"] for e in body["errors"]] == ["organization"]


def test_the_largest_id_is_accepted(secretariat_api: APIClient) -> None:
    response = secretariat_api.get("/api/profiles/", {"organization": str(ID_MAX)})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/interests/", "profile"),
        ("/api/careers/applications/", "posting"),
        ("/api/profiles/", "organization"),
    ],
)
def test_body_id_out_of_range_is_a_validation_error(
    secretariat_api: APIClient, url: str, field: str
) -> None:
    response = secretariat_api.post(url, {field: TOO_BIG}, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in {e["attr"] for e in errors}


@pytest.mark.parametrize(
    "path",
    [
        "/api/organisations/{}/",
        "/api/profiles/{}/",
        "/api/profiles/{}/matches/",
        "/api/matches/{}/",
        "/api/interests/{}/",
        "/api/deals/{}/",
        "/api/careers/postings/{}/",
        "/api/careers/postings/{}/candidates/",
    ],
)
def test_path_id_out_of_range_is_not_found(secretariat_api: APIClient, path: str) -> None:
    response = secretariat_api.get(path.format(TOO_BIG))

    assert response.status_code == 404
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] == "not_found"


def test_schema_bounds_ids(anon_api: APIClient, db: None) -> None:
    schema = anon_api.get("/api/schema/", {"format": "json"}).json()
    path_id = schema["paths"]["/api/profiles/{id}/"]["get"]["parameters"][0]["schema"]
    query = {p["name"]: p["schema"] for p in schema["paths"]["/api/profiles/"]["get"]["parameters"]}

    assert path_id["maximum"] == ID_MAX and path_id["minimum"] == 1
    assert query["organization"]["maximum"] == ID_MAX
