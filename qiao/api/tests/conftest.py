"""A small world of profiles and matches seen through the API by each persona.

    cn_offer         published offer of cn_org (zh)
    cn_submitted     submitted offer of cn_org (zh)      -- in the review queue
    ru_request       published request of ru_org (ru)
    ru_draft         draft request of ru_org (ru)
    other_request    published request of other_org (en)
    other_submitted  submitted offer of other_org (en)   -- its org has no broker
    other_draft      draft offer of other_org (en)

    match            cn_offer <-> ru_request
    other_match      cn_offer <-> other_request
    stale_match      cn_offer <-> ru_draft (a side no longer published: never listed)

The broker looks after cn_org and ru_org, not other_org.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from qiao.accounts.models import User
from qiao.core.testing.factories import MatchFactory, ProfileFactory, SectorFactory
from qiao.exchange.models import Match, Profile, ProfileKind, ProfileStatus, Sector
from qiao.organizations.models import Organization

PERSONAS = ("anon", "secretariat", "broker", "cn_rep", "ru_rep", "outsider")


@dataclass
class World:
    sector: Sector
    sub_sector: Sector
    cn_offer: Profile
    cn_submitted: Profile
    ru_request: Profile
    ru_draft: Profile
    other_request: Profile
    other_submitted: Profile
    other_draft: Profile
    match: Match
    other_match: Match
    stale_match: Match

    def profile(self, name: str) -> Profile:
        profile = getattr(self, name)
        assert isinstance(profile, Profile)
        return profile

    def match_named(self, name: str) -> Match:
        match = getattr(self, name)
        assert isinstance(match, Match)
        return match


PROFILE_NAMES = (
    "cn_offer",
    "cn_submitted",
    "ru_request",
    "ru_draft",
    "other_request",
    "other_submitted",
    "other_draft",
)
PUBLISHED = {"cn_offer", "ru_request", "other_request"}

# Who sees which profile (selectors.profiles_visible_to), persona by persona.
VISIBLE_PROFILES: dict[str, set[str]] = {
    "anon": PUBLISHED,
    "secretariat": set(PROFILE_NAMES),
    "broker": set(PROFILE_NAMES) - {"other_draft"},
    "cn_rep": PUBLISHED | {"cn_submitted"},
    "ru_rep": PUBLISHED | {"ru_draft"},
    "outsider": PUBLISHED | {"other_submitted", "other_draft"},
}


@pytest.fixture
def world(
    cn_org: Organization,
    ru_org: Organization,
    other_org: Organization,
    secretariat: User,
    broker: User,
    cn_rep: User,
    ru_rep: User,
    outsider: User,
) -> World:
    sector = SectorFactory.create(code="manufacturing", name_en="Manufacturing")
    sub_sector = SectorFactory.create(
        code="manufacturing.laser",
        parent=sector,
        name_zh="激光加工",
        name_ru="Лазерная обработка",
        name_en="Laser processing",
    )
    other_sector = SectorFactory.create(code="agriculture")

    def make(org: Organization, language: str, **kwargs: object) -> Profile:
        return ProfileFactory.create(organization=org, language=language, **kwargs)

    cn_offer = make(cn_org, "zh", published=True, sectors=[sub_sector])
    cn_submitted = make(cn_org, "zh", status=ProfileStatus.SUBMITTED, sectors=[sector])
    ru_request = make(
        ru_org, "ru", published=True, kind=ProfileKind.REQUEST, sectors=[other_sector]
    )
    ru_draft = make(ru_org, "ru", kind=ProfileKind.REQUEST, sectors=[other_sector])
    other_request = make(
        other_org, "en", published=True, kind=ProfileKind.REQUEST, sectors=[sub_sector]
    )
    other_submitted = make(other_org, "en", status=ProfileStatus.SUBMITTED, sectors=[sector])
    other_draft = make(other_org, "en", sectors=[other_sector])
    return World(
        sector=sector,
        sub_sector=sub_sector,
        cn_offer=cn_offer,
        cn_submitted=cn_submitted,
        ru_request=ru_request,
        ru_draft=ru_draft,
        other_request=other_request,
        other_submitted=other_submitted,
        other_draft=other_draft,
        match=MatchFactory.create(offer=cn_offer, request=ru_request, score=80.0),
        other_match=MatchFactory.create(offer=cn_offer, request=other_request, score=60.0),
        stale_match=MatchFactory.create(offer=cn_offer, request=ru_draft, score=90.0),
    )


@pytest.fixture
def api_for(request: pytest.FixtureRequest) -> Callable[[str], APIClient]:
    """The persona's token-authenticated APIClient (``anon``: no credentials)."""

    def get(persona: str) -> APIClient:
        client = request.getfixturevalue(f"{persona}_api")
        assert isinstance(client, APIClient)
        return client

    return get


def result_ids(body: dict[str, object]) -> set[int]:
    """The ids in a paginated list response."""
    results = body["results"]
    assert isinstance(results, list)
    return {int(item["id"]) for item in results}


def names_to_ids(world: World, names: set[str] | frozenset[str]) -> set[int]:
    return {world.profile(name).pk for name in names}
