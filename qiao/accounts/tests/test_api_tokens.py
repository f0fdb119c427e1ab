"""API tokens (issue 15, item 5): they expire, a password change or reset revokes them, and
each user lists, creates and revokes their own at /accounts/tokens/ (nobody else's)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from qiao.accounts.models import User
from qiao.core.testing.api import error_detail
from qiao.core.testing.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/auth/token/"
PAGE = reverse("accounts:tokens")
# Every role can hold tokens: the root personas plus a student.
PERSONAS = ["secretariat", "broker", "cn_rep", "ru_rep", "outsider", "student"]


@pytest.fixture
def student(db: None) -> User:
    return UserFactory.create(
        username="student@college.example", email="student@college.example", student=True
    )


def _persona(request: pytest.FixtureRequest, name: str) -> User:
    user = request.getfixturevalue(name)
    assert isinstance(user, User)
    return user


def _obtain(user: User) -> str:
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def _works(token: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return bool(api.get("/api/matches/").status_code == 200)


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- expiry ----------------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_lifetime(cn_rep: User) -> None:
    token = _obtain(cn_rep)
    stored = AuthToken.objects.get(user=cn_rep)
    assert stored.expiry is not None
    lifetime = stored.expiry - stored.created
    assert abs(lifetime - settings.QIAO_API_TOKEN_LIFETIME) < timedelta(minutes=1)
    assert _works(token)

    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    assert not _works(token)
    response = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/matches/")
    assert error_detail(response) == "Invalid token."


# --- revocation by a new password ----------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_the_password_revokes_every_token(
    request: pytest.FixtureRequest, persona: str
) -> None:
    user = _persona(request, persona)
    tokens = [_obtain(user), _obtain(user)]

    response = _logged_in(user).post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-password-2026",
            "new_password2": "a-new-long-password-2026",
        },
    )

    assert response.status_code == 302
    assert not any(_works(token) for token in tokens)
    assert not AuthToken.objects.filter(user=user).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_resetting_the_password_revokes_every_token(
    request: pytest.FixtureRequest, persona: str
) -> None:
    user = _persona(request, persona)
    other = UserFactory.create()
    token, others_token = _obtain(user), _obtain(other)
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form = client.get(link.group(1), follow=True)

    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password-2026", "new_password2": "a-new-long-password-2026"},
    )

    assert response.status_code == 302
    assert not _works(token)
    assert _works(others_token)


def test_a_password_set_anywhere_else_revokes_too(cn_rep: User) -> None:
    """The admin and `manage.py changepassword` save a new password the same way."""
    token = _obtain(cn_rep)

    cn_rep.set_password("a-new-long-password-2026")
    cn_rep.save()

    assert not _works(token)


def test_saving_the_user_without_a_new_password_keeps_the_tokens(cn_rep: User) -> None:
    token = _obtain(cn_rep)

    cn_rep.first_name = "Wang"
    cn_rep.save()
    _logged_in(cn_rep).get(reverse("accounts:settings"))

    assert _works(token)


def test_a_login_that_only_upgrades_the_password_hash_keeps_the_tokens(cn_rep: User) -> None:
    token = _obtain(cn_rep)
    upgraded = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    with override_settings(PASSWORD_HASHERS=upgraded):
        assert (
            Client()
            .post(reverse("accounts:login"), {"username": "cn_rep", "password": PASSWORD})
            .status_code
            == 302
        )

    cn_rep.refresh_from_db()
    assert cn_rep.password.startswith("scrypt$")
    assert _works(token)


# --- the tokens page -------------------------------------------------------------------------


def test_the_page_needs_a_login(db: None) -> None:
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_user_lists_and_revokes_their_own_tokens(
    request: pytest.FixtureRequest, persona: str
) -> None:
    user = _persona(request, persona)
    kept, revoked = _obtain(user), _obtain(user)
    client = _logged_in(user)

    page = client.get(PAGE).content.decode()
    assert page.count('class="card token"') == 2
    assert kept[:8] in page and revoked[:8] in page
    assert kept not in page  # only the first characters are shown

    response = client.post(reverse("accounts:token-revoke", args=[revoked[:15]]))

    assert response.status_code == 302
    assert not _works(revoked)
    assert _works(kept)
    assert client.get(PAGE).content.decode().count('class="card token"') == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_sees_or_revokes_another_users_token(
    request: pytest.FixtureRequest, persona: str, cn_org: object
) -> None:
    owner = UserFactory.create(username="owner")
    token = _obtain(owner)
    intruder = _persona(request, persona)
    client = _logged_in(intruder)

    assert token[:8] not in client.get(PAGE).content.decode()
    response = client.post(reverse("accounts:token-revoke", args=[token[:15]]))

    assert response.status_code == 404
    assert _works(token)


def test_revoking_needs_a_post(cn_rep: User) -> None:
    token = _obtain(cn_rep)

    response = _logged_in(cn_rep).get(reverse("accounts:token-revoke", args=[token[:15]]))

    assert response.status_code == 405
    assert _works(token)


def test_a_token_created_on_the_page_is_shown_once_and_works(cn_rep: User) -> None:
    client = _logged_in(cn_rep)

    page = client.post(PAGE).content.decode()

    shown = re.search(r'<code class="token-value">(\w+)</code>', page)
    assert shown is not None
    assert _works(shown.group(1))
    assert shown.group(1) not in client.get(PAGE).content.decode()


def test_expired_tokens_are_not_listed(cn_rep: User) -> None:
    token = _obtain(cn_rep)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(days=1))

    page = _logged_in(cn_rep).get(PAGE).content.decode()

    assert token[:8] not in page
    assert 'id="no-tokens"' in page


def test_the_number_of_tokens_is_bounded(cn_rep: User) -> None:
    limit = settings.QIAO_API_TOKENS_PER_USER
    for _n in range(limit):
        _obtain(cn_rep)

    response = APIClient().post(
        TOKEN_URL,
        {"username": "cn_rep", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 400
    assert "токен" in error_detail(response)
    assert AuthToken.objects.filter(user=cn_rep).count() == limit


@pytest.mark.parametrize(
    ("language", "title"), [("zh-hans", "API 令牌"), ("ru", "API-токены"), ("en", "API tokens")]
)
def test_the_page_is_translated_and_linked_from_the_account_menu(
    cn_rep: User, language: str, title: str
) -> None:
    client = _logged_in(cn_rep)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    settings_page = client.get(reverse("accounts:settings")).content.decode()
    page = client.get(PAGE).content.decode()

    assert f'href="{PAGE}" id="nav-api-tokens"' in settings_page
    assert f"<h1>{title}</h1>" in page
