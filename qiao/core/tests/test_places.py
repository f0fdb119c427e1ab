"""Regions and cities are stored as typed, in one script; readers see them in their language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qiao.core.places import place_name
from qiao.core.testing.factories import OrganizationFactory
from qiao.organizations.models import Country


@pytest.mark.parametrize(
    ("stored", "language", "shown"),
    [
        ("哈尔滨", "ru", "Харбин"),
        ("哈尔滨", "en", "Harbin"),
        ("Хабаровский край", "zh-hans", "哈巴罗夫斯克边疆区"),
        ("khabarovsk", "zh-hans", "哈巴罗夫斯克"),  # any of its names, any case
        ("黑龙江省", "ru", "Хэйлунцзян"),
        ("CN-HL", "en", "Heilongjiang"),
        ("Усть-Кут", "zh-hans", "Усть-Кут"),  # not in the table: as typed
    ],
)
def test_place_name(stored: str, language: str, shown: str) -> None:
    assert place_name(stored, language) == shown


@pytest.mark.parametrize(
    ("language", "region", "city"),
    [
        ("ru", "Хэйлунцзян", "Харбин"),
        ("en", "Heilongjiang", "Harbin"),
        ("zh-hans", "黑龙江省", "哈尔滨"),
    ],
)
def test_organisation_page_names_its_place_in_the_readers_language(
    db: None, anon_client: Client, language: str, region: str, city: str
) -> None:
    organization = OrganizationFactory.create(country=Country.CN, region="黑龙江省", city="哈尔滨")
    anon_client.cookies["django_language"] = language
    html = anon_client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    assert f"{region}, {city}" in html
