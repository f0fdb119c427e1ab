"""Every API error in one JSON shape, in the request's language (issue 15, item 12): errors
of the views, and those Django answers before any API view runs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from qiao import urls
from qiao.accounts.models import User
from qiao.core.testing.api import error_detail, field_errors

# DRF's own translations.
NOT_FOUND = {"en": "Not found.", "ru": "Страница не найдена.", "zh-hans": "未找到。"}


def _code(response: HttpResponse) -> str:
    return str(json.loads(response.content)["errors"][0]["code"])


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
@pytest.mark.parametrize("path", ["/api/nope/", "/api/profiles/abc/", "/api/"])
def test_unknown_api_paths_are_json_404s(
    anon_api: APIClient, db: None, path: str, language: str
) -> None:
    response = anon_api.get(path, HTTP_ACCEPT_LANGUAGE=language, HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": NOT_FOUND[language], "attr": None}],
    }


def test_unknown_api_path_speaks_the_token_users_language(ru_rep_api: APIClient) -> None:
    response = ru_rep_api.post("/api/no-such-thing/", {})

    assert response.status_code == 404
    assert error_detail(response) == NOT_FOUND["ru"]


def test_a_bad_token_does_not_hide_the_404(db: None) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token nonsense")

    response = api.get("/api/nope/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 404
    assert error_detail(response) == NOT_FOUND["ru"]


def test_web_pages_keep_their_html_404(anon_client: Client, db: None) -> None:
    response = anon_client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The request body is not valid JSON (line 1, column 2)."),
        ("ru", "Тело запроса — не корректный JSON (строка 1, столбец 2)."),
        ("zh-hans", "请求正文不是有效的 JSON（第 1 行，第 2 列）。"),
    ],
)
def test_json_parse_errors_are_translated(
    anon_api: APIClient, db: None, language: str, expected: str
) -> None:
    response = anon_api.post(
        "/api/auth/token/",
        "{nope",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    assert _code(response) == "parse_error"
    assert error_detail(response) == expected


def test_a_body_over_the_limit_is_a_json_413(anon_api: APIClient, db: None, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = anon_api.post(
        "/api/auth/token/",
        {"username": "x" * 200, "password": "y"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert _code(response) == "request_too_large"
    assert error_detail(response) == "Запрос слишком большой."


@pytest.mark.parametrize(
    ("exception", "status", "code"),
    [
        (RequestDataTooBig("too big"), 413, "request_too_large"),
        (TooManyFieldsSent("too many"), 400, "bad_request"),
    ],
)
def test_django_refusals_before_any_view_are_json_under_api(
    db: None, exception: Exception, status: int, code: str
) -> None:
    """What Django answers with handler400 (e.g. a size check in a middleware)."""
    request = RequestFactory().post("/api/profiles/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    response = urls.handler400(request, exception)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert _code(response) == code


def test_django_refusals_elsewhere_stay_html(db: None) -> None:
    request = RequestFactory().post("/alliance/join/")

    response = urls.handler400(request, RequestDataTooBig("too big"))

    assert response.status_code == 413  # qiao.core.views.bad_request's translated page
    assert response["Content-Type"].startswith("text/html")


def test_server_errors_outside_views_are_json_under_api(db: None) -> None:
    request = RequestFactory().get("/api/profiles/", HTTP_ACCEPT_LANGUAGE="ru")

    response = urls.handler500(request)

    assert response.status_code == 500
    assert json.loads(response.content) == {
        "type": "server_error",
        "errors": [{"code": "error", "detail": "Ошибка сервера.", "attr": None}],
    }


def test_server_errors_in_views_are_json(
    anon_api: APIClient, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("qiao.api.views.selectors.sectors_tree", broken)
    anon_api.raise_request_exception = False

    response = anon_api.get("/api/sectors/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 500
    assert response.json()["type"] == "server_error"
    assert "boom" not in response.content.decode()


def test_method_not_allowed(anon_api: APIClient, db: None) -> None:
    response = anon_api.delete("/api/sectors/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 405
    assert _code(response) == "method_not_allowed"
    assert error_detail(response) == 'Метод "DELETE" не разрешен.'


def test_unauthenticated_and_forbidden(
    anon_api: APIClient, cn_rep_api: APIClient, world: object
) -> None:
    anonymous = anon_api.get("/api/matches/", HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.status_code == 401
    assert _code(anonymous) == "not_authenticated"

    forbidden = cn_rep_api.get("/api/careers/recommended/")  # no talent profile
    assert forbidden.status_code == 403
    assert _code(forbidden) == "permission_denied"
    assert forbidden["Content-Language"] == "zh-hans"


def test_validation_errors_have_one_entry_per_message(
    secretariat_api: APIClient, secretariat: User
) -> None:
    response = secretariat_api.get("/api/search/", {"k": "0", "kind": "gift"})

    assert response.status_code == 400
    assert set(field_errors(response)) == {"k", "kind"}
    assert {e["code"] for e in response.json()["errors"]} == {"min_value", "invalid_choice"}
