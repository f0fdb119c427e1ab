"""OpenAPI schema and self-hosted docs."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

EXPECTED_PATHS = {
    "/api/auth/token/",
    "/api/organisations/",
    "/api/organisations/{id}/",
    "/api/sectors/",
    "/api/profiles/",
    "/api/profiles/{id}/",
    "/api/profiles/{id}/submit/",
    "/api/profiles/{id}/publish/",
    "/api/profiles/{id}/reject/",
    "/api/profiles/{id}/renew/",
    "/api/profiles/{id}/archive/",
    "/api/profiles/{id}/matches/",
    "/api/search/",
    "/api/matches/",
    "/api/matches/{id}/",
    "/api/matches/{id}/status/",
    "/api/careers/postings/",
    "/api/careers/postings/{id}/",
    "/api/careers/postings/{id}/candidates/",
    "/api/careers/recommended/",
    "/api/careers/applications/",
    "/api/careers/applications/{id}/status/",
    "/api/interests/",
    "/api/interests/{id}/",
    "/api/interests/{id}/decision/",
    "/api/deals/",
    "/api/deals/{id}/",
    "/api/deals/{id}/move/",
    "/api/alliance/members/",
    "/api/alliance/composition/",
}


def test_schema_generates_without_warnings(tmp_path: Path) -> None:
    """As CI would run it: `manage.py spectacular --validate --fail-on-warn`."""
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text()
    assert text.startswith("openapi: 3.")
    for path in EXPECTED_PATHS:
        assert f"  {path}:" in text


def test_schema_endpoint(db: None, client: Client) -> None:
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == EXPECTED_PATHS
    assert set(schema["paths"]["/api/profiles/{id}/"]) == {"get", "put", "patch"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    search = schema["paths"]["/api/search/"]["get"]
    assert {p["name"] for p in search["parameters"]} == {
        "q",
        "kind",
        "country",
        "sector",
        "stage",
        "language",
        "organization",
        "k",
    }


def test_swagger_ui_and_redoc_are_self_hosted(db: None, client: Client) -> None:
    for url, asset in (
        ("/api/docs/", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/redoc/", "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert f"/static/{asset}" in page
        assert "cdn." not in page and "unpkg" not in page
        assert finders.find(asset), asset
