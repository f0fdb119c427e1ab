"""/api/interests/ and /api/deals/: the pages' rules, per persona."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qiao.accounts.models import User
from qiao.core.testing.api import field_errors
from qiao.core.testing.factories import ProfileFactory
from qiao.deals.models import Deal, Interest
from qiao.exchange.models import Profile
from qiao.organizations.models import Organization

MESSAGE = "Хотим обсудить лицензию на эту технологию для нашего колледжа."


@pytest.fixture
def offer(cn_org: Organization) -> Profile:
    return ProfileFactory.create(organization=cn_org, language="zh", published=True)


def _express(api: APIClient, offer: Profile) -> int:
    response = api.post("/api/interests/", {"profile": offer.pk, "message": MESSAGE}, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anon_api", 401), ("cn_rep_api", 403), ("broker_api", 403), ("outsider_api", 201)],
)
def test_express_interest_per_role(
    request: pytest.FixtureRequest, offer: Profile, broker: User, persona: str, status: int
) -> None:
    api: APIClient = request.getfixturevalue(persona)
    response = api.post("/api/interests/", {"profile": offer.pk, "message": MESSAGE}, format="json")
    assert response.status_code == status
    assert Interest.objects.count() == (1 if status == 201 else 0)


def test_empty_message_is_a_translated_400(offer: Profile, ru_rep_api: APIClient) -> None:
    response = ru_rep_api.post(
        "/api/interests/", {"profile": offer.pk, "message": ""}, format="json"
    )
    assert response.status_code == 400
    assert "message" in field_errors(response)
    assert not Interest.objects.exists()


def test_decision_and_deal_flow(
    offer: Profile,
    ru_rep_api: APIClient,
    cn_rep_api: APIClient,
    broker_api: APIClient,
    outsider_api: APIClient,
) -> None:
    pk = _express(ru_rep_api, offer)
    assert cn_rep_api.get(f"/api/interests/{pk}/").status_code == 200
    assert outsider_api.get(f"/api/interests/{pk}/").status_code == 404
    assert (
        ru_rep_api.post(f"/api/interests/{pk}/decision/", {"decision": "approve"}).status_code
        == 403
    )
    declined = broker_api.post(f"/api/interests/{pk}/decision/", {"decision": "decline"})
    assert declined.status_code == 400  # a reason is required
    approved = broker_api.post(f"/api/interests/{pk}/decision/", {"decision": "approve"})
    assert approved.status_code == 200
    deal_id = approved.json()["deal"]
    assert deal_id == Deal.objects.get().pk
    assert (
        broker_api.post(f"/api/interests/{pk}/decision/", {"decision": "approve"}).status_code
        == 400
    )

    for api, status in ((ru_rep_api, 200), (cn_rep_api, 200), (outsider_api, 404)):
        assert api.get(f"/api/deals/{deal_id}/").status_code == status
    assert [d["id"] for d in ru_rep_api.get("/api/deals/").json()["results"]] == [deal_id]
    assert outsider_api.get("/api/deals/").json()["results"] == []
    assert (
        ru_rep_api.post(f"/api/deals/{deal_id}/move/", {"stage": "first_contact"}).status_code
        == 403
    )
    skipped = broker_api.post(f"/api/deals/{deal_id}/move/", {"stage": "agreement"})
    assert skipped.status_code == 400
    moved = broker_api.post(f"/api/deals/{deal_id}/move/", {"stage": "first_contact"})
    assert moved.status_code == 200 and moved.json()["stage"] == "first_contact"
    assert moved.json()["next_stages"] == ["nda", "closed_lost"]


def test_interest_list_query_count_does_not_grow(
    cn_org: Organization,
    ru_rep_api: APIClient,
    ru_rep: User,
    django_assert_max_num_queries: object,
) -> None:
    from qiao.deals import services

    for _ in range(5):
        profile = ProfileFactory.create(organization=cn_org, language="zh", published=True)
        services.interest_express(actor=ru_rep, profile=profile, message=MESSAGE)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        response = ru_rep_api.get("/api/interests/")
    assert response.json()["count"] == 5
