"""POST /api/profiles/: who may create for which organisation, and field-level validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qiao.accounts.models import User
from qiao.api.tests.conftest import World
from qiao.core.testing.api import api_client_for, error_detail, field_errors
from qiao.core.testing.factories import UserFactory
from qiao.exchange.models import Profile, ProfileEvent, ProfileStatus

URL = "/api/profiles/"

EN_TEXT = {
    "title": "Wireless grain temperature monitoring for silos",
    "summary": "A radio sensor network that measures grain temperature and humidity in silos.",
    "description": "The system places cable sensors in each silo and sends readings over a "
    "low-power radio link to a control room, where operators see hot spots before the grain "
    "spoils. It works down to minus forty degrees and runs for five years on one battery.",
}
RU_TEXT = {
    "title": "Беспроводная термометрия зерна в силосах",
    "summary": "Сеть радиодатчиков измеряет температуру и влажность зерна в силосах.",
    "description": "Система размещает кабельные датчики в каждом силосе и передаёт показания "
    "по радиоканалу в диспетчерскую, где операторы видят очаги нагрева до порчи зерна. Она "
    "работает при морозе до минус сорока градусов и пять лет от одной батареи.",
}


def payload(organization: int, /, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organization": organization,
        "kind": "offer",
        "language": "en",
        **EN_TEXT,
        "development_stage": "pilot",
        "ipr_status": "pending",
        "sectors": ["manufacturing.laser"],
        "keywords": ["silo", "grain", "Silo", "radio sensors"],
        "partnership_types": ["licence", "joint_rd"],
        "target_countries": ["CN", "RU"],
    }
    data.update(overrides)
    return data


# Who may create for which organisation (permissions.can_manage_organization_profiles).
CREATE_TABLE = [
    ("anon", "cn_org", 401),
    ("anon", "other_org", 401),
    ("secretariat", "cn_org", 201),
    ("secretariat", "ru_org", 201),
    ("secretariat", "other_org", 201),
    ("broker", "cn_org", 201),
    ("broker", "ru_org", 201),
    ("broker", "other_org", 403),
    ("cn_rep", "cn_org", 201),
    ("cn_rep", "ru_org", 403),
    ("cn_rep", "other_org", 403),
    ("ru_rep", "ru_org", 201),
    ("ru_rep", "cn_org", 403),
    ("outsider", "other_org", 201),
    ("outsider", "cn_org", 403),
]


@pytest.mark.parametrize(("persona", "org", "expected"), CREATE_TABLE)
def test_who_may_create_for_which_organisation(
    request: pytest.FixtureRequest,
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    org: str,
    expected: int,
) -> None:
    organization = request.getfixturevalue(org)
    before = Profile.objects.count()

    response = api_for(persona).post(
        URL, payload(organization.pk), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == expected, response.content
    if expected != 201:
        assert Profile.objects.count() == before
        if expected == 403:
            assert error_detail(response) == ("You may not create profiles for this organisation.")
        return
    actor = request.getfixturevalue(persona)
    profile = Profile.objects.get(pk=response.json()["id"])
    assert profile.organization == organization
    assert profile.status == ProfileStatus.DRAFT
    assert profile.created_by == actor
    assert profile.title == EN_TEXT["title"]
    assert [s.code for s in profile.sectors.all()] == ["manufacturing.laser"]
    assert profile.keywords == ["silo", "grain", "radio sensors"]  # duplicates dropped
    assert profile.partnership_types == ["licence", "joint_rd"]
    assert profile.target_countries == ["CN", "RU"]
    assert ProfileEvent.objects.filter(profile=profile, to_status="draft", actor=actor).exists()
    body = response.json()
    assert body["status"] == "draft"
    assert body["organization"]["id"] == organization.pk
    assert body["can_edit"] is True


def test_created_in_russian(world: World, ru_rep_api: APIClient, ru_org: Any) -> None:
    response = ru_rep_api.post(
        URL, payload(ru_org.pk, language="ru", kind="request", **RU_TEXT), format="json"
    )

    assert response.status_code == 201
    assert Profile.objects.get(pk=response.json()["id"]).language == "ru"


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"kind": "gift"}, {"kind"}),
        ({"language": "de"}, {"language"}),
        ({"title": ""}, {"title"}),
        ({"title": "x" * 257}, {"title"}),
        ({"summary": "x" * 501}, {"summary"}),
        ({"development_stage": "dream"}, {"development_stage"}),
        ({"ipr_status": "stolen"}, {"ipr_status"}),
        ({"sectors": []}, {"sectors"}),
        ({"sectors": ["no-such-sector"]}, {"sectors"}),
        ({"keywords": [f"k{i}" for i in range(13)]}, {"keywords"}),
        ({"keywords": ["x" * 65]}, {"keywords.0"}),  # the list item, by index
        ({"partnership_types": ["marriage"]}, {"partnership_types.0"}),
        ({"target_countries": ["DE"]}, {"target_countries.0"}),
        ({"organization": 999999}, {"organization"}),
        ({"kind": "gift", "ipr_status": "stolen"}, {"kind", "ipr_status"}),
    ],
)
def test_invalid_fields_are_400_per_field(
    world: World,
    secretariat_api: APIClient,
    cn_org: Any,
    overrides: dict[str, Any],
    fields: set[str],
) -> None:
    before = Profile.objects.count()

    response = secretariat_api.post(URL, payload(cn_org.pk, **overrides), format="json")

    assert response.status_code == 400
    assert set(field_errors(response)) == fields
    assert Profile.objects.count() == before


def test_missing_fields_are_listed(world: World, cn_rep_api: APIClient) -> None:
    response = cn_rep_api.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    body = field_errors(response)
    required = {
        "organization",
        "kind",
        "language",
        "title",
        "summary",
        "description",
        "development_stage",
        "ipr_status",
        "sectors",
    }
    assert set(body) == required
    assert body["title"] == ["This field is required."]


def test_declared_language_must_match_the_text(
    world: World, cn_rep_api: APIClient, cn_org: Any
) -> None:
    """The service's language check comes back as an error on the `language` field."""
    before = Profile.objects.count()

    response = cn_rep_api.post(
        URL, payload(cn_org.pk, language="zh"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert field_errors(response) == {
        "language": ["The text looks like English but the language is set to Chinese."]
    }
    assert Profile.objects.count() == before


def test_text_in_another_language_is_refused(
    world: World, cn_rep_api: APIClient, cn_org: Any
) -> None:
    german = {
        "title": "Drahtlose Temperaturüberwachung für Getreidesilos",
        "summary": "Ein Funksensornetz misst die Temperatur und die Feuchtigkeit im Silo.",
        "description": "Das System bringt Kabelsensoren in jedes Silo und überträgt die "
        "Messwerte über eine Funkverbindung in die Leitwarte, wo die Bediener die "
        "Wärmenester sehen, bevor das Getreide verdirbt. Es arbeitet bis minus vierzig Grad.",
    }

    response = cn_rep_api.post(
        URL, payload(cn_org.pk, **german), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert field_errors(response) == {
        "language": ["The text must be written in Chinese, Russian or English."]
    }


def test_errors_follow_accept_language(world: World, cn_rep_api: APIClient) -> None:
    response = cn_rep_api.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")

    assert field_errors(response)["title"] == ["Обязательное поле."]
    assert response["Content-Language"] == "ru"


def test_errors_follow_the_preferred_language(world: World, cn_rep_api: APIClient) -> None:
    """cn_rep prefers Chinese and sends no Accept-Language."""
    response = cn_rep_api.post(URL, {}, format="json")

    [message] = field_errors(response)["title"]
    assert "必填" in message


def test_a_user_without_organisation_may_not_create(world: World, cn_org: Any) -> None:
    loner = UserFactory.create(organization=None)
    api = api_client_for(loner)

    response = api.post(URL, payload(cn_org.pk), format="json")

    assert response.status_code == 403


def test_inactive_token_user_is_refused(
    world: World, cn_rep: User, cn_rep_api: APIClient, cn_org: Any
) -> None:
    cn_rep.is_active = False
    cn_rep.save()

    response = cn_rep_api.post(URL, payload(cn_org.pk), format="json")

    assert response.status_code == 401
