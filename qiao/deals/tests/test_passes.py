from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed
from qiao.deals import services
from qiao.deals.models import Pass
from qiao.exchange.models import Profile


def test_pass_reasons_are_recorded_once_per_organisation(offer: Profile, ru_rep: User) -> None:
    services.pass_record(actor=ru_rep, profile=offer, reason="too_early")
    services.pass_record(actor=ru_rep, profile=offer, reason="not_our_field")
    assert list(Pass.objects.values_list("reason", flat=True)) == ["not_our_field"]


def test_other_needs_a_comment_and_bad_reasons_write_nothing(offer: Profile, ru_rep: User) -> None:
    with pytest.raises(ValidationError):
        services.pass_record(actor=ru_rep, profile=offer, reason="other", comment=" ")
    with pytest.raises(ValidationError):
        services.pass_record(actor=ru_rep, profile=offer, reason="bored")
    assert not Pass.objects.exists()


@pytest.mark.parametrize("persona", ["cn_rep", "broker", "secretariat"])
def test_owners_and_staff_do_not_pass(
    request: pytest.FixtureRequest, offer: Profile, persona: str
) -> None:
    with pytest.raises(NotAllowed):
        services.pass_record(
            actor=request.getfixturevalue(persona), profile=offer, reason="too_early"
        )


def test_reasons_are_reported_to_the_owner_not_to_others(
    offer: Profile,
    ru_rep_client: Client,
    outsider_client: Client,
    cn_rep_client: Client,
    broker_client: Client,
    anon_client: Client,
) -> None:
    url = reverse("deals:pass", args=[offer.pk])
    ru_rep_client.post(url, {"reason": "benefit_unclear", "comment": "Нужны данные испытаний"})
    outsider_client.post(url, {"reason": "benefit_unclear"})
    assert Pass.objects.count() == 2
    page = reverse("exchange:profile", args=[offer.pk])
    for client in (cn_rep_client, broker_client):
        html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'class="list pass-reasons"' in html
        assert "Нужны данные испытаний" in html
    for client in (outsider_client, anon_client):
        assert 'class="list pass-reasons"' not in client.get(page).content.decode()


def test_pass_view_refuses_bad_input_and_wrong_roles(
    offer: Profile, ru_rep_client: Client, cn_rep_client: Client, anon_client: Client
) -> None:
    url = reverse("deals:pass", args=[offer.pk])
    response = ru_rep_client.post(url, {"reason": "other", "comment": ""}, follow=True)
    assert "Укажите кратко причину." in response.content.decode()
    assert cn_rep_client.post(url, {"reason": "too_early"}).status_code == 403
    assert anon_client.post(url, {"reason": "too_early"}).status_code == 302
    assert not Pass.objects.exists()
