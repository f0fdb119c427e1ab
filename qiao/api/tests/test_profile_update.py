"""PUT / PATCH /api/profiles/{id}/ through services.profile_update."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qiao.api.tests.conftest import PERSONAS, World
from qiao.core.testing.api import error_detail, field_errors
from qiao.exchange.models import ProfileStatus

# (persona, profile) -> status: 404 when the profile is invisible, 403 when visible but not
# editable (permissions.can_edit_profile), 401 for anonymous writes.
UPDATE_TABLE = {
    "cn_offer": {
        "anon": 401,
        "secretariat": 200,
        "broker": 200,
        "cn_rep": 200,
        "ru_rep": 403,
        "outsider": 403,
    },
    "ru_draft": {
        "anon": 401,
        "secretariat": 200,
        "broker": 200,
        "cn_rep": 404,
        "ru_rep": 200,
        "outsider": 404,
    },
    "other_submitted": {
        "anon": 401,
        "secretariat": 200,
        "broker": 403,  # sees the review queue, but does not look after other_org
        "cn_rep": 404,
        "ru_rep": 404,
        "outsider": 200,
    },
}


@pytest.mark.parametrize("profile_name", list(UPDATE_TABLE))
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_patch(
    world: World,
    api_for: Callable[[str], APIClient],
    persona: str,
    profile_name: str,
) -> None:
    profile = world.profile(profile_name)
    original_title = profile.title
    new_title = f"{original_title} v2"

    response = api_for(persona).patch(
        f"/api/profiles/{profile.pk}/", {"title": new_title}, format="json"
    )

    expected = UPDATE_TABLE[profile_name][persona]
    assert response.status_code == expected, response.content
    profile.refresh_from_db()
    assert profile.title == (new_title if expected == 200 else original_title)
    if expected == 200:
        assert response.json()["title"] == new_title


def test_patch_keeps_the_other_fields(world: World, cn_rep_api: APIClient) -> None:
    profile = world.cn_offer
    before = {
        "summary": profile.summary,
        "keywords": profile.keywords,
        "sectors": [s.code for s in profile.sectors.all()],
        "status": profile.status,
    }

    response = cn_rep_api.patch(
        f"/api/profiles/{profile.pk}/",
        {"keywords": ["激光", "再制造"], "development_stage": "market"},
        format="json",
    )

    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.keywords == ["激光", "再制造"]
    assert profile.development_stage == "market"
    assert profile.summary == before["summary"]
    assert [s.code for s in profile.sectors.all()] == before["sectors"]
    assert profile.status == before["status"] == ProfileStatus.PUBLISHED


def test_put_replaces_everything_and_requires_every_field(
    world: World, ru_rep_api: APIClient
) -> None:
    profile = world.ru_draft
    url = f"/api/profiles/{profile.pk}/"

    partial = ru_rep_api.put(url, {"title": "Новое название"}, format="json")
    assert partial.status_code == 400
    assert {"kind", "language", "summary", "sectors"} <= set(field_errors(partial))

    full = {
        "kind": "request",
        "language": "ru",
        "title": "Нужна технология лазерной наплавки валов",
        "summary": profile.summary,
        "description": profile.description,
        "development_stage": "concept",
        "ipr_status": "none",
        "sectors": ["agriculture", "manufacturing"],
        "organization": 999,  # the owner cannot be changed: ignored
    }
    response = ru_rep_api.put(url, full, format="json")

    assert response.status_code == 200, response.content
    profile.refresh_from_db()
    assert profile.title == full["title"]
    assert profile.development_stage == "concept"
    assert profile.advantages == ""  # omitted optional fields are cleared by PUT
    assert profile.keywords == []
    assert sorted(s.code for s in profile.sectors.all()) == ["agriculture", "manufacturing"]
    assert profile.organization.country == "RU"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"sectors": []}, "sectors"),
        ({"kind": "gift"}, "kind"),
        ({"language": "en"}, "language"),  # the text is Russian: the service refuses
    ],
)
def test_invalid_patch(
    world: World, ru_rep_api: APIClient, body: dict[str, Any], field: str
) -> None:
    profile = world.ru_draft
    before = (profile.title, profile.language, profile.kind)

    response = ru_rep_api.patch(f"/api/profiles/{profile.pk}/", body, format="json")

    assert response.status_code == 400
    assert list(field_errors(response)) == [field]
    profile.refresh_from_db()
    assert (profile.title, profile.language, profile.kind) == before


def test_a_stranger_gets_403_before_validation(world: World, ru_rep_api: APIClient) -> None:
    response = ru_rep_api.patch(
        f"/api/profiles/{world.cn_offer.pk}/",
        {"kind": "gift"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 403
    assert error_detail(response) == "You may not edit this profile."


def test_archived_profiles_are_read_only(world: World, cn_rep_api: APIClient) -> None:
    profile = world.cn_offer
    profile.status = ProfileStatus.ARCHIVED
    profile.save()

    response = cn_rep_api.patch(f"/api/profiles/{profile.pk}/", {"title": "x"}, format="json")

    assert response.status_code == 403


def test_editing_a_published_profile_reindexes_it(
    world: World, cn_rep_api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        cn_rep_api.patch(
            f"/api/profiles/{world.cn_offer.pk}/", {"keywords": ["激光"]}, format="json"
        )
    assert len(callbacks) == 1

    with django_capture_on_commit_callbacks() as callbacks:
        cn_rep_api.patch(
            f"/api/profiles/{world.cn_submitted.pk}/", {"keywords": ["激光"]}, format="json"
        )
    assert callbacks == []
