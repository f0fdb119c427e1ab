"""GET /api/search/: cross-lingual search over published profiles, on the real engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qiao.accounts.models import User
from qiao.api.tests.conftest import PERSONAS, PUBLISHED, World, names_to_ids
from qiao.core.testing.api import field_errors
from qiao.core.testing.factories import SectorFactory
from qiao.exchange import services
from qiao.exchange.models import Profile, ProfileKind
from qiao.organizations.models import Organization

URL = "/api/search/"

ZH_OFFER = services.ProfileData(
    kind=ProfileKind.OFFER,
    language="zh",
    title="粮仓无线测温系统",
    summary="本系统用无线传感器实时监测粮仓内粮食的温度和湿度，及早发现发热霉变。",
    description="我公司研制的粮情测控系统在每个筒仓内布置测温电缆，通过低功耗无线网络把温度和"
    "湿度数据传到监控室。系统可在零下四十度工作，电池寿命五年，已在二十座粮库应用。"
    "寻求俄罗斯粮食企业合作推广。",
    development_stage="market",
    ipr_status="granted",
    keywords=("粮情测控", "无线测温", "筒仓"),
)
RU_QUERY = "беспроводной контроль температуры зерна в силосах элеватора"


@pytest.fixture
def zh_offer(
    cn_org: Organization,
    cn_rep: User,
    broker: User,
    django_capture_on_commit_callbacks: Any,
) -> Profile:
    """A Chinese offer written, submitted and published through the services; publishing
    indexes it after commit, through the immediate task backend."""
    sector = SectorFactory.create(code="agriculture")
    data = services.ProfileData(**{**ZH_OFFER.__dict__, "sectors": (sector,)})
    profile = services.profile_create(actor=cn_rep, organization=cn_org, data=data)
    services.profile_submit(actor=cn_rep, profile=profile)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_publish(actor=broker, profile=profile)
    return profile


def test_russian_query_finds_the_chinese_offer(zh_offer: Profile, anon_api: APIClient) -> None:
    response = anon_api.get(URL, {"q": RU_QUERY})

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == RU_QUERY
    assert body["count"] == len(body["results"]) >= 1
    best = body["results"][0]
    assert best["profile"]["id"] == zh_offer.pk
    assert best["profile"]["title"] == "粮仓无线测温系统"
    assert best["profile"]["language"] == "zh"
    assert 0 < best["score"] <= 100
    explanation = best["explanation"]
    assert explanation["semantic"] > 0
    assert explanation["passages"], "a cross-lingual hit explains itself with aligned passages"
    assert {"query", "match", "similarity"} <= set(explanation["passages"][0])


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"kind": "offer"}, True),
        ({"kind": "request"}, False),
        ({"country": "CN"}, True),
        ({"country": "RU"}, False),
        ({"sector": "agriculture"}, True),
        ({"stage": "market"}, True),
        ({"stage": "concept"}, False),
        ({"language": "zh"}, True),
        ({"language": "ru"}, False),
    ],
)
def test_filters_narrow_the_search(
    zh_offer: Profile, anon_api: APIClient, params: dict[str, str], found: bool
) -> None:
    response = anon_api.get(URL, {"q": RU_QUERY, **params})

    assert response.status_code == 200
    ids = [r["profile"]["id"] for r in response.json()["results"]]
    assert (zh_offer.pk in ids) is found


def test_the_organisation_filter_narrows_the_search_and_keeps_anonymous_profiles_hidden(
    zh_offer: Profile, anon_api: APIClient, cn_org: Organization, cn_rep: User
) -> None:
    other = Organization.objects.exclude(pk=cn_org.pk).first()
    assert other is not None

    def found(client: APIClient, organization: int) -> bool:
        response = client.get(URL, {"q": RU_QUERY, "organization": str(organization)})
        assert response.status_code == 200
        return zh_offer.pk in [r["profile"]["id"] for r in response.json()["results"]]

    assert found(anon_api, cn_org.pk) and not found(anon_api, other.pk)
    Profile.objects.filter(pk=zh_offer.pk).update(anonymous=True)
    assert not found(anon_api, cn_org.pk)  # which organisation offers it stays unknown
    member = APIClient()
    member.force_authenticate(cn_rep)
    assert found(member, cn_org.pk)


@pytest.mark.parametrize("query", ["grain temperature monitoring in silos", "粮食 温度 监测"])
def test_any_language_finds_it(zh_offer: Profile, anon_api: APIClient, query: str) -> None:
    results = anon_api.get(URL, {"q": query}).json()["results"]

    assert results[0]["profile"]["id"] == zh_offer.pk


def test_publishing_through_the_api_makes_it_findable_and_archiving_hides_it(
    cn_org: Organization,
    cn_rep_api: APIClient,
    broker_api: APIClient,
    anon_api: APIClient,
    django_capture_on_commit_callbacks: Any,
) -> None:
    SectorFactory.create(code="agriculture")
    body = {
        **{k: v for k, v in ZH_OFFER.__dict__.items() if k not in {"sectors", "extra"}},
        "keywords": list(ZH_OFFER.keywords),
        "sectors": ["agriculture"],
        "organization": cn_org.pk,
    }
    created = cn_rep_api.post("/api/profiles/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    def found() -> bool:
        results = anon_api.get(URL, {"q": RU_QUERY}).json()["results"]
        return pk in [r["profile"]["id"] for r in results]

    assert cn_rep_api.post(f"/api/profiles/{pk}/submit/").status_code == 200
    assert not found()
    with django_capture_on_commit_callbacks(execute=True):
        assert broker_api.post(f"/api/profiles/{pk}/publish/").status_code == 200
    assert found()
    with django_capture_on_commit_callbacks(execute=True):
        assert cn_rep_api.post(f"/api/profiles/{pk}/archive/").status_code == 200
    assert not found()


@pytest.mark.parametrize("persona", PERSONAS)
def test_without_a_query_lists_published_profiles_only(
    world: World, api_for: Callable[[str], APIClient], persona: str
) -> None:
    """Whoever asks, search never shows unpublished profiles (not even one's own drafts)."""
    body = api_for(persona).get(URL).json()

    assert body["query"] == ""
    assert {r["profile"]["id"] for r in body["results"]} == names_to_ids(world, PUBLISHED)
    assert all(r["score"] == 0 and r["explanation"] == {} for r in body["results"])


def test_k_limits_the_results(world: World, anon_api: APIClient) -> None:
    assert anon_api.get(URL, {"k": 2}).json()["count"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"k": 0}, "k"),
        ({"k": 101}, "k"),
        ({"k": "many"}, "k"),
        ({"kind": "gift"}, "kind"),
        ({"country": "DE"}, "country"),
        ({"sector": "nowhere"}, "sector"),
        ({"q": "x" * 501}, "q"),
    ],
)
def test_invalid_parameters(
    world: World, anon_api: APIClient, params: dict[str, Any], field: str
) -> None:
    response = anon_api.get(URL, params)

    assert response.status_code == 400
    assert list(field_errors(response)) == [field]
