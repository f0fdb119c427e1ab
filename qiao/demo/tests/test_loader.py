"""The demo data loads once, labels everything as sample data, and shows the product's promise:
a Russian need finds the Chinese offer it was written for, first, with an explanation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import Role, User
from qiao.demo.loader import DEMO_PASSWORD, DEMO_USERS, load_demo
from qiao.exchange.models import Match, Profile, ProfileStatus
from qiao.exchange.selectors import ProfileFilters, profile_search
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db

REAL_ORGANISATIONS = {
    "harbin-tech-market",
    "tsinghua-russia",
    "harbin-intl-stc",
    "instrument-ict-alliance",
    "mipt",
    "spbpu",
    "harbin-vtc",
    "khabarovsk-ied",
    "cgcc-russia",
    "hlj-education",
}


@pytest.fixture
def demo() -> None:
    load_demo()


def test_loads_sample_data_for_every_role_and_language(demo: None) -> None:
    profiles = Profile.objects.all()
    assert profiles.count() >= 60
    assert not profiles.exclude(status=ProfileStatus.PUBLISHED).exists()
    assert not profiles.filter(is_sample=False).exists()
    assert set(profiles.values_list("language", flat=True)) == {"zh", "ru", "en"}
    assert set(profiles.values_list("kind", flat=True)) == {"offer", "request"}
    assert set(Organization.objects.values_list("key", flat=True)) >= REAL_ORGANISATIONS
    assert not Organization.objects.filter(is_sample=False).exists()
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert Match.objects.count() > 0


def test_is_idempotent(demo: None) -> None:
    counts = (Profile.objects.count(), Organization.objects.count(), User.objects.count())
    summary = load_demo()
    assert summary.profiles_created == 0
    assert (Profile.objects.count(), Organization.objects.count(), User.objects.count()) == counts


def test_demo_logins_work(demo: None) -> None:
    for spec in DEMO_USERS:
        client = Client()
        assert client.login(
            request=HttpRequest(), username=spec.username, password=DEMO_PASSWORD
        ), spec.username
        user = User.objects.get(username=spec.username)
        assert user.preferred_language == spec.language


def test_russian_need_finds_the_chinese_offer_first(demo: None) -> None:
    need = Profile.objects.get(
        language="ru", title__startswith="Требуется технология производства изолята соевого"
    )
    results = profile_search(
        user=AnonymousUser(),
        query=need.title,  # what a broker types: the need's title, in Russian
        filters=ProfileFilters(kind="offer"),
        k=5,
    )
    top = results.items[0]
    assert top.profile.language == "zh"
    assert top.profile.title.startswith("低温脱溶豆粕制备高凝胶性大豆分离蛋白")
    assert top.explanation["passages"] or top.explanation["shared_terms"]


def test_the_stored_match_is_explained_on_its_page(demo: None) -> None:
    need = Profile.objects.get(
        language="ru", title__startswith="Требуется технология производства изолята соевого"
    )
    match = Match.objects.filter(request=need).order_by("-score").first()
    assert match is not None
    assert match.offer.language == "zh"
    assert match.offer.title.startswith("低温脱溶豆粕制备高凝胶性大豆分离蛋白")
    client = Client()
    client.login(request=HttpRequest(), username="broker", password=DEMO_PASSWORD)
    page = client.get(reverse("exchange:match", args=[match.pk]))
    assert page.status_code == 200
    assert match.offer.title in page.content.decode()
