from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import ProfileFactory, UserFactory
from qiao.deals import services
from qiao.deals.models import Deal, DealEvent, Interest, InterestStatus
from qiao.deals.tests.conftest import RU_MESSAGE
from qiao.exchange.models import Profile
from qiao.organizations.models import Organization


def test_representative_expresses_interest_and_the_broker_is_told(
    offer: Profile, ru_rep: User, broker: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_express(actor=ru_rep, profile=offer, message=RU_MESSAGE)
    assert interest.status == InterestStatus.PENDING
    assert interest.organization_id == ru_rep.organization_id
    assert interest.language == "ru"
    assert [m.to for m in mail.outbox] == [[broker.email]]
    assert f"/interests/{interest.pk}/" in mail.outbox[0].body


def test_without_a_broker_the_secretariat_decides(
    offer: Profile, ru_rep: User, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_express(actor=ru_rep, profile=offer, message=RU_MESSAGE)
    assert [m.to for m in mail.outbox] == [[secretariat.email]]


@pytest.mark.parametrize("persona", ["cn_rep", "broker", "secretariat"])
def test_only_other_organisations_representatives_may_express_interest(
    request: pytest.FixtureRequest, offer: Profile, persona: str
) -> None:
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        services.interest_express(actor=actor, profile=offer, message="hello")
    assert not Interest.objects.exists()


def test_closed_and_unpublished_profiles_take_no_interest(
    cn_org: Organization, ru_rep: User
) -> None:
    closed = ProfileFactory.create(organization=cn_org, language="zh", published=True)
    closed.interest_open = False
    closed.save()
    draft = ProfileFactory.create(organization=cn_org, language="zh")
    for profile in (closed, draft):
        with pytest.raises(NotAllowed):
            services.interest_express(actor=ru_rep, profile=profile, message=RU_MESSAGE)
    assert not Interest.objects.exists()


def test_empty_or_duplicate_interest_writes_nothing(interest: Interest, ru_rep: User) -> None:
    with pytest.raises(ValidationError):
        services.interest_express(actor=ru_rep, profile=interest.profile, message="   ")
    with pytest.raises(ServiceError):
        services.interest_express(actor=ru_rep, profile=interest.profile, message=RU_MESSAGE)
    assert Interest.objects.count() == 1


def test_approval_opens_a_deal_and_releases_contacts(
    interest: Interest,
    broker: User,
    cn_rep: User,
    ru_rep: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_decide(actor=broker, interest=interest, approve=True)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.APPROVED
    deal = Deal.objects.get(interest=interest)
    assert (deal.owner_id, deal.partner_id, deal.broker_id) == (
        cn_rep.organization_id,
        ru_rep.organization_id,
        broker.pk,
    )
    assert deal.stage == "introduced"
    assert DealEvent.objects.filter(deal=deal, kind="opened").count() == 1
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {cn_rep.email, ru_rep.email, broker.email}
    # Each side receives the other's e-mail address.
    assert ru_rep.email in by_recipient[cn_rep.email].body
    assert cn_rep.email in by_recipient[ru_rep.email].body


def test_decline_needs_a_reason_and_tells_the_sender(
    interest: Interest, broker: User, ru_rep: User, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(ValidationError):
        services.interest_decide(actor=broker, interest=interest, approve=False, reason=" ")
    interest.refresh_from_db()
    assert interest.status == InterestStatus.PENDING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_decide(
            actor=broker, interest=interest, approve=False, reason="Профиль уже лицензирован."
        )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.DECLINED
    assert not Deal.objects.exists()
    assert [m.to for m in mail.outbox] == [[ru_rep.email]]
    assert "Профиль уже лицензирован." in mail.outbox[0].body


def test_a_decision_is_final(interest: Interest, broker: User) -> None:
    services.interest_decide(actor=broker, interest=interest, approve=True)
    with pytest.raises(ServiceError):
        services.interest_decide(actor=broker, interest=interest, approve=False, reason="x")
    assert Deal.objects.count() == 1


@pytest.mark.parametrize("persona", ["cn_rep", "ru_rep", "outsider"])
def test_only_the_owners_broker_or_secretariat_decides(
    request: pytest.FixtureRequest, interest: Interest, persona: str
) -> None:
    with pytest.raises(NotAllowed):
        services.interest_decide(
            actor=request.getfixturevalue(persona), interest=interest, approve=True
        )
    other_broker = UserFactory.create(broker=True)
    with pytest.raises(NotAllowed):
        services.interest_decide(actor=other_broker, interest=interest, approve=True)
    assert not Deal.objects.exists()


# --- views -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 200),
        ("ru_rep_client", 200),
        ("cn_rep_client", 403),
        ("broker_client", 403),
        ("secretariat_client", 403),
    ],
)
def test_interest_form_page(
    request: pytest.FixtureRequest, offer: Profile, broker: User, persona: str, status: int
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = reverse("deals:interest-create", args=[offer.pk])
    assert client.get(url).status_code == status


def test_interest_form_posts_and_rejects_empty_message(
    offer: Profile, ru_rep_client: Client, broker: User
) -> None:
    url = reverse("deals:interest-create", args=[offer.pk])
    response = ru_rep_client.post(url, {"message": ""}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()  # Django's own, in Russian
    assert not Interest.objects.exists()
    response = ru_rep_client.post(url, {"message": RU_MESSAGE})
    interest = Interest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deals:interest", args=[interest.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 404),
        ("ru_rep_client", 200),
        ("cn_rep_client", 200),
        ("broker_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_interest_detail_page(
    request: pytest.FixtureRequest, interest: Interest, persona: str, status: int
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("deals:interest", args=[interest.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 404),
        ("ru_rep_client", 403),
        ("cn_rep_client", 403),
    ],
)
def test_only_deciders_may_post_a_decision(
    request: pytest.FixtureRequest, interest: Interest, persona: str, status: int
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = reverse("deals:interest", args=[interest.pk])
    assert client.post(url, {"decision": "approve"}).status_code == status
    interest.refresh_from_db()
    assert interest.status == InterestStatus.PENDING


def test_broker_declines_without_reason_then_approves(
    interest: Interest, broker_client: Client
) -> None:
    url = reverse("deals:interest", args=[interest.pk])
    response = broker_client.post(url, {"decision": "decline", "reason": ""})
    assert response.status_code == 200
    assert "Please give the reason for declining." in response.content.decode()
    interest.refresh_from_db()
    assert interest.status == InterestStatus.PENDING
    response = broker_client.post(url, {"decision": "approve", "reason": ""})
    deal = Deal.objects.get()
    assert response["Location"] == reverse("deals:deal", args=[deal.pk])


def test_interest_list_per_role(
    interest: Interest,
    broker_client: Client,
    ru_rep_client: Client,
    cn_rep_client: Client,
    outsider_client: Client,
    secretariat_client: Client,
    anon_client: Client,
) -> None:
    url = reverse("deals:interests")
    link = reverse("deals:interest", args=[interest.pk])
    for client in (broker_client, ru_rep_client, cn_rep_client, secretariat_client):
        response = client.get(url)
        assert response.status_code == 200
        assert link in response.content.decode()
    response = outsider_client.get(url)
    assert response.status_code == 200
    assert link not in response.content.decode()
    assert anon_client.get(url).status_code == 302
