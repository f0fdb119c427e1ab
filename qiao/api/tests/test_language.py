"""The response language: Accept-Language, else the language cookie, else the user's
preferred language, else English. Content (names) and labels follow it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from qiao.api.tests.conftest import World
from qiao.core.testing.api import error_detail
from qiao.organizations.models import Organization


@pytest.mark.parametrize(
    ("persona", "accept_language", "expected"),
    [
        ("anon", None, "en"),
        ("anon", "ru", "ru"),
        ("anon", "zh-CN,zh;q=0.9", "zh-hans"),
        ("anon", "de, ru;q=0.5", "ru"),
        ("anon", "de", "en"),
        ("cn_rep", None, "zh-hans"),  # preferred language
        ("cn_rep", "en", "en"),  # an explicit header wins
        ("ru_rep", None, "ru"),
        ("ru_rep", "zh-hans", "zh-hans"),
        ("secretariat", None, "en"),
    ],
)
def test_response_language(
    world: World,
    api_for: Callable[[str], APIClient],
    ru_org: Organization,
    persona: str,
    accept_language: str | None,
    expected: str,
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}

    response = api_for(persona).get(f"/api/organisations/{ru_org.pk}/", headers=headers)

    assert response["Content-Language"] == expected
    # No Chinese name: falls back to the first of zh, ru, en (languages.pick_localized).
    names = {"en": ru_org.name_en, "ru": ru_org.name_ru, "zh-hans": ru_org.name_ru}
    assert response.json()["name"] == names[expected]


def test_drf_messages_are_translated(anon_api: APIClient) -> None:
    response = anon_api.post("/api/profiles/", {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 401
    assert error_detail(response) == "Учетные данные не были предоставлены."


def test_the_language_cookie_counts_for_sessions(
    world: World, cn_rep_client: Client, ru_org: Organization
) -> None:
    """The site's language switcher (the cookie) beats the preferred language."""
    cn_rep_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    response = cn_rep_client.get(f"/api/organisations/{ru_org.pk}/")

    assert response["Content-Language"] == "ru"
    assert response.json()["name"] == ru_org.name_ru


def test_session_user_without_cookie_gets_the_preferred_language(
    world: World, ru_rep_client: Client, cn_org: Organization
) -> None:
    response = ru_rep_client.get(f"/api/organisations/{cn_org.pk}/")

    assert response["Content-Language"] == "ru"
