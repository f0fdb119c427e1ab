"""/api/auth/token/ and the two ways to authenticate: token and session."""

from __future__ import annotations

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from qiao.accounts.models import User
from qiao.core.testing.api import error_detail, field_errors
from qiao.core.testing.factories import PASSWORD

URL = "/api/auth/token/"


@pytest.mark.parametrize("persona", ["secretariat", "broker", "cn_rep", "ru_rep", "outsider"])
def test_username_and_password_give_a_token(request: pytest.FixtureRequest, persona: str) -> None:
    user: User = request.getfixturevalue(persona)
    api = APIClient()

    response = api.post(URL, {"username": user.username, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    token = body["token"]
    assert body["expiry"]
    # Only the token's hash is stored; asking again gives a second token.
    assert not AuthToken.objects.filter(digest=token).exists()
    again = api.post(URL, {"username": user.username, "password": PASSWORD}, format="json")
    assert again.json()["token"] != token
    assert AuthToken.objects.filter(user=user).count() == 2
    # And the token authenticates.
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/matches/").status_code == 200


def test_form_encoded_credentials_work_too(cn_rep: User) -> None:
    response = APIClient().post(URL, {"username": "cn_rep", "password": PASSWORD})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"username": "cn_rep", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_wrong_credentials(cn_rep: User, body: dict[str, str]) -> None:
    response = APIClient().post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert field_errors(response) == {
        "non_field_errors": ["Unable to log in with provided credentials."]
    }
    assert not AuthToken.objects.exists()


def test_missing_fields(db: None) -> None:
    response = APIClient().post(URL, {}, format="json")

    assert response.status_code == 400
    assert set(field_errors(response)) == {"username", "password"}


def test_inactive_user_gets_no_token(cn_rep: User) -> None:
    cn_rep.is_active = False
    cn_rep.save()

    response = APIClient().post(URL, {"username": "cn_rep", "password": PASSWORD}, format="json")

    assert response.status_code == 400


def test_get_is_not_allowed(db: None) -> None:
    assert APIClient().get(URL).status_code == 405


def test_bad_token_is_401(db: None) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api.get("/api/profiles/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert error_detail(response) == "Invalid token."


def test_session_authentication(cn_rep: User, cn_rep_client: Client) -> None:
    """The web session works for the API (Swagger UI in the browser uses it)."""
    response = cn_rep_client.get("/api/matches/")

    assert response.status_code == 200


def test_session_writes_need_the_csrf_token(cn_rep: User, cn_org: object) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cn_rep)

    response = client.post(
        "/api/profiles/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    assert "CSRF" in error_detail(response)
