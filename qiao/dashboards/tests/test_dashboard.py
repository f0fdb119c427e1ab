from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qiao.accounts.models import User
from qiao.core.testing.factories import ProfileFactory, UserFactory
from qiao.dashboards.selectors import dashboard
from qiao.deals import services
from qiao.deals.models import Deal, DealEvent
from qiao.organizations.models import Organization


@pytest.fixture
def world(cn_org: Organization, ru_rep: User, outsider: User, broker: User) -> dict[str, Any]:
    offer = ProfileFactory.create(organization=cn_org, language="zh", published=True)
    interest = services.interest_express(
        actor=ru_rep, profile=offer, message="Хотим лицензировать технологию."
    )
    services.interest_decide(actor=broker, interest=interest, approve=True)
    deal = Deal.objects.get()
    for stage in ("first_contact", "nda", "negotiation", "agreement"):
        services.deal_move(actor=broker, deal=deal, to_stage=stage)
    services.deal_set_agreement(
        actor=broker,
        deal=deal,
        agreement_type="licence",
        value=Decimal("250000"),
        currency="RUB",
        signed_on=timezone.localdate(),
    )
    # Two days in "first contact", read from the audit trail.
    events = list(DealEvent.objects.filter(deal=deal, kind="stage").order_by("id"))
    DealEvent.objects.filter(pk=events[0].pk).update(
        created_at=events[1].created_at - timedelta(days=2)
    )
    DealEvent.objects.filter(deal=deal, kind="opened").update(
        created_at=events[1].created_at - timedelta(days=3)
    )
    services.pass_record(actor=outsider, profile=offer, reason="too_early")
    return {"offer": offer, "deal": deal}


def _rows(rows: list[Any]) -> dict[str, float]:
    return {r.key: r.value for r in rows}


def test_numbers_for_the_broker_and_the_platform(world: dict[str, Any], broker: User) -> None:
    for data in (dashboard(broker_id=broker.pk), dashboard(broker_id=None)):
        totals = _rows(data.totals)
        assert totals["profiles_published"] == 1
        assert totals["introductions"] == 1 and totals["introductions_approved"] == 1
        assert totals["agreements_signed"] == 1
        assert _rows(data.deals_by_stage)["agreement"] == 1
        assert _rows(data.funnel) == {"interests": 1, "introduced": 1, "agreement": 1, "won": 0}
        assert _rows(data.median_days)["first_contact"] == 2.0
        assert _rows(data.median_days)["introduced"] == 1.0
        assert _rows(data.pass_reasons)["too_early"] == 1
        assert _rows(data.agreement_values) == {"RUB": 250000.0}
    other = UserFactory.create(broker=True)
    assert _rows(dashboard(broker_id=other.pk).totals)["introductions"] == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("cn_rep_client", 403),
        ("broker_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_who_sees_the_dashboard(
    request: pytest.FixtureRequest, world: dict[str, Any], persona: str, status: int
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("dashboards:dashboard")).status_code == status
    assert client.get(reverse("dashboards:csv")).status_code == status


def test_broker_cannot_see_another_brokers_numbers(
    world: dict[str, Any], broker_client: Client, secretariat_client: Client
) -> None:
    other = UserFactory.create(broker=True)
    # A broker's ?broker= is ignored: they always get their own.
    response = broker_client.get(reverse("dashboards:dashboard"), {"broker": str(other.pk)})
    assert response.context["broker_id"] != other.pk
    response = secretariat_client.get(reverse("dashboards:dashboard"), {"broker": str(other.pk)})
    assert response.context["broker_id"] == other.pk


def test_page_embeds_chart_data_and_tables_and_csv_has_the_same_numbers(
    world: dict[str, Any], ru_rep: User, secretariat_client: Client
) -> None:
    html = secretariat_client.get(
        reverse("dashboards:dashboard"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'id="dashboard-data"' in html
    assert "qiao/vendor/chart.umd.min.js" in html
    assert '<th scope="row">Agreement</th>' in html
    response = secretariat_client.get(reverse("dashboards:csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Key", "Label", "Value"]
    assert ["agreement_values", "RUB", "RUB", "250000.0"] in rows
    assert ["deals_by_stage", "agreement", "Agreement", "1"] in rows


def test_dashboard_query_count_is_bounded(
    world: dict[str, Any], secretariat_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(16):
        secretariat_client.get(reverse("dashboards:dashboard"))
