"""The dashboard: aggregates for member representatives and the secretariat, charts drawn
from embedded data with the vendored Chart.js, tables exported as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse, reverse_lazy
from openpyxl import load_workbook

from qiao.alliance.demo import load_alliance
from qiao.alliance.models import Membership, MembershipStatus
from qiao.core.testing.factories import UserFactory
from qiao.demo.loader import load_organizations
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db


EXPORT_CSV = reverse_lazy("alliance_dashboard:export", args=["csv"])
EXPORT_XLSX = reverse_lazy("alliance_dashboard:export", args=["xlsx"])
EXPORT_PDF = reverse_lazy("alliance_dashboard:export", args=["pdf"])


@pytest.fixture
def ru_member(ru_org: Organization) -> Membership:
    return Membership.objects.create(
        organization=ru_org, status=MembershipStatus.MEMBER, joined_on=date(2025, 6, 20)
    )


@pytest.fixture
def student_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory.create(organization=None))
    return client


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),
        ("cn_rep_client", 403),  # not a member
        ("broker_client", 403),
        ("ru_rep_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_who_sees_the_dashboard_and_its_exports(
    request: pytest.FixtureRequest, persona: str, status: int, ru_member: Membership
) -> None:
    client: Client = request.getfixturevalue(persona)
    for url in (
        reverse("alliance_dashboard:dashboard"),
        EXPORT_CSV,
        EXPORT_XLSX,
    ):
        assert client.get(url).status_code == status, url


def test_the_dashboard_reproduces_the_composition_and_exports_it(
    secretariat_client: Client, django_assert_max_num_queries: Any
) -> None:
    load_organizations()
    load_alliance()
    with django_assert_max_num_queries(20):
        response = secretariat_client.get(reverse("alliance_dashboard:dashboard"))
    html = response.content.decode()
    assert "qiao/vendor/chart.umd.min.js" in html
    assert 'id="dashboard-data"' in html
    charts = response.context["charts"]
    assert sum(charts["composition"]["values"]) == 153
    assert sorted(charts["composition"]["values"]) == [2, 5, 15, 48, 83]
    assert len(charts["provinces"]["labels"]) == 22 + 5  # 22 Chinese provinces, 5 Russian regions

    text = secretariat_client.get(EXPORT_CSV).content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Table", "Item", "Count"]
    assert ["Members by category", "Higher-vocational colleges", "83"] in rows
    assert ["Membership applications", "Submitted", "3"] in rows

    book = load_workbook(io.BytesIO(secretariat_client.get(EXPORT_XLSX).content))
    sheet = book["composition"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["Secondary-vocational schools"] == 48


def test_exports_follow_the_reader_language(secretariat_client: Client) -> None:
    secretariat_client.cookies["django_language"] = "ru"
    text = secretariat_client.get(EXPORT_CSV).content.decode()
    assert text.lstrip("\ufeff").startswith("Таблица,")
    assert secretariat_client.get(EXPORT_PDF).status_code == 404
