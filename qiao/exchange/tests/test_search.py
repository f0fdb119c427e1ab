"""Cross-lingual search through the web UI, on the real engine and model."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from qiao.core.testing.factories import ProfileFactory
from qiao.exchange.models import ProfileKind
from qiao.search.testing import index_now


def test_russian_query_finds_chinese_offer_first(db: None, client: Client) -> None:
    zh_offer = ProfileFactory.create(language="zh", published=True)
    ru_other = ProfileFactory.create(
        language="ru",
        published=True,
        kind=ProfileKind.REQUEST,
        title="Требуется система мониторинга температуры зерна в элеваторе",
        summary="Элеватор на 50 тысяч тонн ищет беспроводные датчики температуры и влажности.",
        description="Нужна система термометрии силосов с передачей данных по радиоканалу, "
        "работающая при морозах до минус сорока градусов.",
        keywords=["элеватор", "термометрия", "зерно"],
    )
    index_now("profiles", [zh_offer.pk, ru_other.pk])

    response = client.get(
        reverse("exchange:search"), {"q": "восстановление изношенных валов лазерной наплавкой"}
    )

    results = response.context["results"]
    assert [r.profile.pk for r in results][:1] == [zh_offer.pk]
    assert results[0].score > results[-1].score or len(results) == 1
    page = response.content.decode()
    assert zh_offer.title in page
    assert "Why this result" in page or "为什么" in page


def test_filters_narrow_the_search(db: None, client: Client) -> None:
    zh_offer = ProfileFactory.create(language="zh", published=True)
    index_now("profiles", [zh_offer.pk])
    response = client.get(
        reverse("exchange:search"), {"q": "laser cladding of shafts", "kind": "request"}
    )
    assert response.context["results"] == []
    response = client.get(
        reverse("exchange:search"), {"q": "laser cladding of shafts", "kind": "offer"}
    )
    assert [r.profile.pk for r in response.context["results"]] == [zh_offer.pk]


def test_unpublished_profiles_never_show_in_search(db: None, client: Client) -> None:
    draft = ProfileFactory.create(language="zh")
    index_now("profiles", [draft.pk])  # not published: the index must drop it, not add it
    response = client.get(reverse("exchange:search"), {"q": "激光熔覆"})
    assert response.context["results"] == []


def test_unrelated_profiles_are_not_listed_as_results(db: None, client: Client) -> None:
    zh_offer = ProfileFactory.create(language="zh", published=True)  # laser cladding of shafts
    index_now("profiles", [zh_offer.pk])
    response = client.get(reverse("exchange:search"), {"q": "кадровое агентство для поваров"})
    assert response.context["results"] == []
    assert "Nothing matched" in response.content.decode()
