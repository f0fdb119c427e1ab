"""Member profile pages are public; the contact person (personal data) is shown only to the
secretariat and to representatives of member organisations."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qiao.alliance.models import Membership
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "sees_contact"),
    [
        ("anon_client", False),
        ("student_client", False),
        ("cn_rep_client", False),  # a representative, but cn_org is not a member
        ("broker_client", False),
        ("ru_rep_client", True),  # member representative
        ("secretariat_client", True),
    ],
)
def test_contact_details_only_for_members_and_the_secretariat(
    request: pytest.FixtureRequest, persona: str, sees_contact: bool, ru_member: Membership
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("alliance:member", args=[ru_member.organization_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ("irina@college.example" in html) is sees_contact
    assert ("Ирина Контактова" in html) is sees_contact


def test_non_members_have_no_member_page(anon_client: Client, cn_org: Organization) -> None:
    assert anon_client.get(reverse("alliance:member", args=[cn_org.pk])).status_code == 404
