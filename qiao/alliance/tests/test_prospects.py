"""The prospective-member pipeline belongs to the secretariat."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.alliance import services
from qiao.alliance.models import Membership, MembershipStatus, ProspectStage
from qiao.core.errors import NotAllowed, ServiceError
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db

PERSONAS = [
    ("anon_client", 302),
    ("student_client", 403),
    ("cn_rep_client", 403),
    ("ru_rep_client", 403),
    ("broker_client", 403),
    ("secretariat_client", 200),
]


@pytest.fixture
def prospect(secretariat: User, cn_org: Organization) -> Membership:
    return services.prospect_add(actor=secretariat, organization=cn_org, region="CN-HL")


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_pipeline_page(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    prospect: Membership,
    ru_member: Membership,
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("alliance:prospects")).status_code == status


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_moving_a_prospect(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    prospect: Membership,
    ru_member: Membership,
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.post(
        reverse("alliance:prospect-stage", args=[prospect.pk]),
        {"stage": "contacted", "note": "Called the rector"},
    )
    assert response.status_code == (302 if status == 200 else status)
    prospect.refresh_from_db()
    if status == 200:
        assert prospect.stage == ProspectStage.CONTACTED
        assert "Called the rector" in prospect.notes
    else:
        assert prospect.stage == ProspectStage.IDENTIFIED


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_adding_a_prospect(
    request: pytest.FixtureRequest, persona: str, status: int, ru_member: Membership
) -> None:
    client: Client = request.getfixturevalue(persona)
    before = Membership.objects.count()
    response = client.post(
        reverse("alliance:prospects"),
        {
            "name_en": "Jilin Test College",
            "kind": "higher_vocational",
            "country": "CN",
            "region": "CN-JL",
            "stage": "identified",
        },
    )
    assert response.status_code == (302 if status == 200 else status)
    assert Membership.objects.count() == before + (1 if status == 200 else 0)


def test_a_bad_prospect_writes_nothing(secretariat_client: Client) -> None:
    response = secretariat_client.post(
        reverse("alliance:prospects"),
        {"kind": "higher_vocational", "country": "CN", "region": "RU-KHA", "stage": "identified"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["__all__"]
    assert not Organization.objects.exists()


def test_unknown_stage_and_members_are_refused(
    secretariat: User, secretariat_client: Client, prospect: Membership, ru_member: Membership
) -> None:
    secretariat_client.post(reverse("alliance:prospect-stage", args=[prospect.pk]), {"stage": "x"})
    prospect.refresh_from_db()
    assert prospect.stage == ProspectStage.IDENTIFIED
    with pytest.raises(ServiceError):
        services.prospect_set_stage(actor=secretariat, membership=ru_member, stage="contacted")
    with pytest.raises(ServiceError):
        services.prospect_add(actor=secretariat, organization=ru_member.organization)
    assert ru_member.status == MembershipStatus.MEMBER


def test_services_refuse_non_secretariat(prospect: Membership, broker: User) -> None:
    with pytest.raises(NotAllowed):
        services.prospect_set_stage(actor=broker, membership=prospect, stage="contacted")
