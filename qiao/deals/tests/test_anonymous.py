"""Anonymous profiles hide their organisation until an introduction is approved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.testing.factories import ProfileFactory
from qiao.deals import services
from qiao.exchange.models import Profile
from qiao.organizations.models import Organization


@pytest.fixture
def hidden(cn_org: Organization) -> Profile:
    profile = ProfileFactory.create(organization=cn_org, language="zh", published=True)
    profile.anonymous = True
    profile.save()
    return profile


def test_owner_is_hidden_until_the_introduction(
    hidden: Profile, cn_org: Organization, ru_rep: User, ru_rep_client: Client, broker: User
) -> None:
    name = cn_org.display_name("ru")
    page = reverse("exchange:profile", args=[hidden.pk])
    assert name not in ru_rep_client.get(page).content.decode()
    interest = services.interest_express(
        actor=ru_rep, profile=hidden, message="Хотим познакомиться с владельцем технологии."
    )
    assert (
        name
        not in ru_rep_client.get(reverse("deals:interest", args=[interest.pk])).content.decode()
    )
    services.interest_decide(actor=broker, interest=interest, approve=True)
    assert name in ru_rep_client.get(page).content.decode()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("anon_client", False),
        ("outsider_client", False),
        ("cn_rep_client", True),
        ("broker_client", True),
        ("secretariat_client", True),
    ],
)
def test_who_sees_an_anonymous_owner(
    request: pytest.FixtureRequest, hidden: Profile, cn_org: Organization, persona: str, sees: bool
) -> None:
    client: Client = request.getfixturevalue(persona)
    html = client.get(
        reverse("exchange:profile", args=[hidden.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert (reverse("organizations:detail", args=[cn_org.pk]) in html) is sees


def test_organisation_page_and_search_do_not_attribute_anonymous_profiles(
    hidden: Profile, cn_org: Organization, outsider_client: Client, cn_rep_client: Client
) -> None:
    page = reverse("organizations:detail", args=[cn_org.pk])
    assert hidden.title not in outsider_client.get(page).content.decode()
    assert hidden.title in cn_rep_client.get(page).content.decode()
    listing = outsider_client.get(reverse("exchange:search")).content.decode()
    assert hidden.title in listing
    assert cn_org.display_name("en") not in listing


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("anon_api", False), ("outsider_api", False), ("cn_rep_api", True), ("broker_api", True)],
)
def test_api_hides_an_anonymous_owner(
    request: pytest.FixtureRequest, hidden: Profile, cn_org: Organization, persona: str, sees: bool
) -> None:
    api = request.getfixturevalue(persona)
    data = api.get(f"/api/profiles/{hidden.pk}/").json()
    assert data["anonymous"] is True
    assert (data["organization"] is not None) is sees
    if sees:
        assert data["organization"]["id"] == cn_org.pk


def test_editing_without_the_flags_keeps_anonymity(hidden: Profile, cn_rep_api: object) -> None:
    from rest_framework.test import APIClient

    assert isinstance(cn_rep_api, APIClient)
    response = cn_rep_api.patch(
        f"/api/profiles/{hidden.pk}/", {"title": hidden.title + "（修订）"}, format="json"
    )
    assert response.status_code == 200, response.content
    hidden.refresh_from_db()
    assert hidden.anonymous is True
