"""The shared test world: factories build valid rows, personas have the documented roles."""

from __future__ import annotations

import pytest
from django.test import Client
from knox.auth import TokenAuthentication
from rest_framework.request import Request
from rest_framework.test import APIClient

from qiao.accounts.models import Role, User
from qiao.core.testing.factories import (
    PASSWORD,
    MatchFactory,
    OrganizationFactory,
    ProfileFactory,
    UserFactory,
)
from qiao.exchange import permissions
from qiao.exchange.models import ProfileStatus
from qiao.organizations.models import Country, Organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh", "ru", "en"])
def test_profile_factory_builds_a_valid_draft_in_its_language(language: str) -> None:
    profile = ProfileFactory.create(language=language)

    profile.full_clean()
    assert profile.status == ProfileStatus.DRAFT
    assert profile.sectors.count() == 1
    expected_country = {"zh": Country.CN, "ru": Country.RU, "en": Country.OTHER}[language]
    assert profile.organization.country == expected_country
    if language == "zh":
        assert "激光" in profile.title
    elif language == "ru":
        assert "лазерной" in profile.title


def test_match_factory_pairs_published_profiles_across_languages() -> None:
    match = MatchFactory.create()

    match.full_clean()
    assert match.offer.is_published and match.request.is_published
    assert (match.offer.language, match.request.language) == ("zh", "ru")
    assert match.offer.expires_at is not None


def test_user_factory_roles() -> None:
    representative = UserFactory.create()
    broker = UserFactory.create(broker=True)
    secretariat = UserFactory.create(secretariat=True)

    assert representative.organization is not None
    assert representative.check_password(PASSWORD)
    assert broker.organization is None and broker.is_broker
    assert secretariat.is_secretariat and secretariat.is_staff
    OrganizationFactory.create(country=Country.RU).full_clean()


def test_personas(
    secretariat: User,
    broker: User,
    cn_rep: User,
    ru_rep: User,
    outsider: User,
    cn_org: Organization,
    ru_org: Organization,
    other_org: Organization,
) -> None:
    assert secretariat.role == Role.SECRETARIAT and secretariat.is_secretariat
    assert broker.role == Role.BROKER
    assert (cn_rep.organization, cn_rep.preferred_language) == (cn_org, "zh-hans")
    assert (ru_rep.organization, ru_rep.preferred_language) == (ru_org, "ru")
    assert outsider.organization == other_org
    assert cn_org.broker == broker and ru_org.broker == broker and other_org.broker is None
    assert permissions.can_manage_organization_profiles(cn_rep, cn_org)
    assert permissions.can_manage_organization_profiles(broker, ru_org)
    assert not permissions.can_manage_organization_profiles(outsider, cn_org)
    assert not permissions.can_manage_organization_profiles(broker, other_org)


def test_persona_clients_are_logged_in(
    cn_rep: User, cn_rep_client: Client, anon_client: Client, secretariat_client: Client
) -> None:
    assert cn_rep_client.session["_auth_user_id"] == str(cn_rep.pk)
    assert "_auth_user_id" not in anon_client.session
    assert secretariat_client.get("/admin/").status_code == 200  # staff
    assert cn_rep_client.get("/admin/").status_code == 302  # not staff: sent to login


def test_persona_api_clients_authenticate_with_tokens(
    ru_rep: User, ru_rep_api: APIClient, anon_api: APIClient
) -> None:
    def authenticated_user(api: APIClient) -> object:
        sent = api.get("/api/").wsgi_request  # any URL: only the request headers matter
        result = TokenAuthentication().authenticate(Request(sent))
        return result[0] if result else None

    assert authenticated_user(ru_rep_api) == ru_rep
    assert authenticated_user(anon_api) is None
