"""Rendered responses leave no reference cycles for the collector (decision 0008).

Each test keeps the collector off and watches weak references: what is freed then was freed by
reference counting alone, at once, not by a full collection that stops every request thread.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from django.db.models import QuerySet
from pytest_django import DjangoAssertNumQueries
from rest_framework.serializers import ListField, ListSerializer
from rest_framework.test import APIClient

from qiao.api.serializers import ProfileSerializer, release_rendered
from qiao.api.tests.conftest import World
from qiao.core.testing.factories import ProfileFactory
from qiao.exchange.models import Profile


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.django_db
@pytest.mark.parametrize("released", [True, False])
def test_a_released_serializer_tree_is_freed_at_once(collector_off: None, released: bool) -> None:
    ProfileFactory.create_batch(2)
    profiles = list(Profile.objects.prefetch_related("sectors").select_related("organization"))
    item = ProfileSerializer()
    serializer = ListSerializer(profiles, child=item)  # what many=True gives
    data = serializer.data
    expected = [dict(row) for row in data]
    keywords = item.fields["keywords"]
    assert isinstance(keywords, ListField)
    parts = [serializer, item, item.fields["sectors"], keywords.child]
    watched = [weakref.ref(part) for part in parts]
    del serializer, item, keywords, parts

    if released:
        release_rendered(data)

    alive = [ref() is not None for ref in watched]
    assert alive == [not released] * len(watched)
    assert [dict(row) for row in data] == expected


def test_api_responses_release_their_serializers(world: World, ru_rep_api: APIClient) -> None:
    detail = ru_rep_api.get(f"/api/profiles/{world.ru_draft.pk}/")
    listing = ru_rep_api.get("/api/profiles/")

    assert detail.status_code == listing.status_code == 200
    assert detail.data["id"] == world.ru_draft.pk
    assert detail.data.serializer is None
    assert listing.data["results"]
    assert listing.data["results"].serializer is None


@pytest.mark.django_db
@pytest.mark.parametrize("plain", [False, True])
def test_profiles_with_prefetched_sectors_are_freed_at_once(
    collector_off: None, django_assert_num_queries: DjangoAssertNumQueries, plain: bool
) -> None:
    ProfileFactory.create()
    profiles = QuerySet(Profile) if plain else Profile.objects.all()
    profile = profiles.prefetch_related("sectors").get()
    with django_assert_num_queries(0):
        assert [sector.pk for sector in profile.sectors.all()]
    fetched = weakref.ref(profile)
    del profile

    assert (fetched() is not None) == plain  # Django's own query set leaves a cycle
