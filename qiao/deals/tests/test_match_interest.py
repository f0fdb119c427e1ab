"""A match page offers "Express interest" in the other side's profile to whoever may express it
(deals.permissions.can_express_interest), and shows how an earlier expression went."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.testing.factories import MatchFactory
from qiao.deals.models import Interest
from qiao.exchange.models import Match, MatchStatus
from qiao.organizations.models import Organization


@pytest.fixture
def match(cn_org: Organization, ru_org: Organization) -> Match:
    return MatchFactory.create(
        offer__organization=cn_org,
        request__organization=ru_org,
        request_status=MatchStatus.SHORTLISTED,
    )


def _interest_links(client: Client, match: Match) -> list[str]:
    html = client.get(reverse("exchange:match", args=[match.pk])).content.decode()
    return [
        url
        for url in (
            reverse("deals:interest-create", args=[match.offer.pk]),
            reverse("deals:interest-create", args=[match.request.pk]),
        )
        if f'href="{url}"' in html
    ]


def test_request_side_may_express_interest_in_the_offer(
    ru_rep_client: Client, match: Match
) -> None:
    assert _interest_links(ru_rep_client, match) == [
        reverse("deals:interest-create", args=[match.offer.pk])
    ]
    # The link leads to the form, which the same rule lets them use.
    url = reverse("deals:interest-create", args=[match.offer.pk])
    assert ru_rep_client.get(url).status_code == 200


def test_offer_side_may_express_interest_in_the_request(
    cn_rep_client: Client, match: Match
) -> None:
    assert _interest_links(cn_rep_client, match) == [
        reverse("deals:interest-create", args=[match.request.pk])
    ]


@pytest.mark.parametrize("persona", ["broker_client", "secretariat_client"])
def test_who_acts_for_no_organisation_gets_no_action(
    request: pytest.FixtureRequest, persona: str, match: Match
) -> None:
    assert _interest_links(request.getfixturevalue(persona), match) == []


def test_closed_profile_gets_no_action(ru_rep_client: Client, match: Match) -> None:
    match.offer.interest_open = False
    match.offer.save(update_fields=["interest_open"])
    assert _interest_links(ru_rep_client, match) == []


def test_earlier_interest_is_shown_instead(
    ru_rep_client: Client, ru_rep: User, ru_org: Organization, match: Match
) -> None:
    interest = Interest.objects.create(
        profile=match.offer, organization=ru_org, created_by=ru_rep, message="x"
    )
    html = ru_rep_client.get(reverse("exchange:match", args=[match.pk])).content.decode()
    assert reverse("deals:interest", args=[interest.pk]) in html
    assert _interest_links(ru_rep_client, match) == []
