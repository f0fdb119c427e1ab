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


def test_every_error_response_is_the_one_error_shape(db: None, client: Client) -> None:
    """Issue 15: one documented JSON shape for every API error."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"type", "errors"}

    for path, operations in schema["paths"].items():
        if path == "/api/schema/":
            continue
        for method, operation in operations.items():
            codes = {code for code in operation["responses"] if code.startswith(("4", "5"))}
            assert {"405", "500"} <= codes, (method, path)
            for code in codes:
                content = operation["responses"][code]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, code)


def test_read_only_blank_values_are_in_the_schema(db: None, client: Client) -> None:
    """A deal before its agreement has no currency; an organisation may have no website."""
    components = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    currency = components["Deal"]["properties"]["currency"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in currency
    website = components["Organization"]["properties"]["website"]["oneOf"]
    assert {"type": "string", "maxLength": 0} in website
    assert "category" in components["Member"]["properties"]
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    ok = paths["/api/alliance/members/"]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"]["$ref"] == "#/components/schemas/PaginatedMemberList"
