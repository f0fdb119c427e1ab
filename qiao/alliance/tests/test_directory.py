"""The member directory: public, filterable by type, country, province/region and specialty,
with counts; the sample alliance reproduces the composition the alliance reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qiao.alliance.demo import load_alliance
from qiao.alliance.models import Membership, MembershipStatus
from qiao.alliance.selectors import composition
from qiao.demo.loader import load_organizations

pytestmark = pytest.mark.django_db

URL = reverse("alliance:directory")


@pytest.fixture
def sample_alliance() -> None:
    load_organizations()
    load_alliance()


def test_the_sample_alliance_has_the_reported_composition(sample_alliance: None) -> None:
    result = composition()
    assert result.total == 153
    assert {f.value: f.count for f in result.categories} == {
        "russian": 5,
        "undergraduate": 2,
        "higher_vocational": 83,
        "secondary_vocational": 48,
        "enterprise_research": 15,
    }
    assert result.chinese_regions == 22
    assert Membership.objects.filter(status=MembershipStatus.PROSPECTIVE).count() == 40
    # Everything generated is labelled as sample data.
    assert not Membership.objects.filter(is_sample=False).exists()
    for membership in Membership.objects.select_related("organization"):
        organization = membership.organization
        assert organization.is_sample
        assert any(
            mark in name
            for name in organization.names().values()
            for mark in ("(sample)", "（示例）", "(пример)")
        ), organization.names()


def test_loading_twice_changes_nothing(sample_alliance: None) -> None:
    before = (Membership.objects.count(), composition().total)
    load_alliance()
    assert (Membership.objects.count(), composition().total) == before


def test_directory_shows_the_composition_and_filters_with_counts(
    anon_client: Client, sample_alliance: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        response = anon_client.get(URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 153
    html = response.content.decode()
    assert 'data-category="higher_vocational"><strong>83</strong>' in html

    response = anon_client.get(URL, {"kind": "secondary_vocational", "country": "CN"})
    assert response.context["page"].paginator.count == 48
    facets = response.context["facets"]
    assert {f.value: f.count for f in facets.kinds} == {"secondary_vocational": 48}

    response = anon_client.get(URL, {"region": "CN-HL"})
    heilongjiang = response.context["page"].paginator.count
    assert heilongjiang > 10
    assert {f.value for f in response.context["facets"].regions} == {"CN-HL"}

    response = anon_client.get(URL, {"specialty": "welding"})
    count = response.context["page"].paginator.count
    assert 0 < count < 153
    assert {f.value: f.count for f in response.context["facets"].specialties}["welding"] == count


def test_prospective_members_are_not_listed(anon_client: Client, sample_alliance: None) -> None:
    response = anon_client.get(URL, {"q": "Sample", "country": "RU"})
    names = {m.organization_id for m in response.context["page"]}
    prospects = set(
        Membership.objects.filter(status=MembershipStatus.PROSPECTIVE).values_list(
            "organization_id", flat=True
        )
    )
    assert names and not names & prospects


def test_an_invalid_filter_is_ignored_not_an_error(
    anon_client: Client, ru_member: Membership
) -> None:
    response = anon_client.get(URL, {"kind": "spaceship"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


@pytest.mark.parametrize("language", ["zh-hans", "ru", "en"])
def test_region_names_follow_the_ui_language(
    anon_client: Client, ru_member: Membership, language: str
) -> None:
    anon_client.cookies["django_language"] = language
    html = anon_client.get(URL).content.decode()
    expected = {"zh-hans": "哈巴罗夫斯克边疆区", "ru": "Хабаровский край", "en": "Khabarovsk Krai"}
    assert expected[language] in html
