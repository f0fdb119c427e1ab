"""A visitor who is not logged in is invited to log in to contact a profile's owner, and comes
back to the profile afterwards."""

from __future__ import annotations

from urllib.parse import quote

from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.testing.factories import ProfileFactory


def test_anonymous_visitor_gets_a_login_link_back_to_the_profile(
    db: None, anon_client: Client
) -> None:
    profile = ProfileFactory.create(published=True)
    path = reverse("exchange:profile", args=[profile.pk])
    html = anon_client.get(path).content.decode()
    # In the profile's introduction panel, not only the header's "Log in".
    panel = html.split('id="interest"', 1)[1]
    assert f'href="{reverse("accounts:login")}?next={quote(path)}"' in panel


def test_no_prompt_when_the_owner_takes_no_interest(db: None, anon_client: Client) -> None:
    profile = ProfileFactory.create(published=True, interest_open=False)
    html = anon_client.get(reverse("exchange:profile", args=[profile.pk])).content.decode()
    assert "Log in to contact the owner" not in html


def test_signed_in_representative_gets_the_action_instead(
    outsider_client: Client, outsider: User
) -> None:
    profile = ProfileFactory.create(published=True)
    html = outsider_client.get(reverse("exchange:profile", args=[profile.pk])).content.decode()
    assert reverse("deals:interest-create", args=[profile.pk]) in html
    assert "Log in to contact the owner" not in html
