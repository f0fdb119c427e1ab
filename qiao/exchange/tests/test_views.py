"""Web views of the exchange: what each role sees and may change, page by page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.testing.factories import MatchFactory, ProfileFactory, SectorFactory
from qiao.exchange.models import Match, MatchStatus, Profile, ProfileKind, ProfileStatus, Sector
from qiao.organizations.models import Organization

PERSONAS = ("anon", "secretariat", "broker", "cn_rep", "ru_rep", "outsider")


@dataclass
class World:
    cn_offer: Profile  # published, Chinese, cn_org
    ru_draft: Profile  # draft request, Russian, ru_org
    other_submitted: Profile  # submitted offer of other_org (not brokered by `broker`)
    match: Match  # cn_offer <-> a published ru_org request


@pytest.fixture
def world(cn_org: Organization, ru_org: Organization, other_org: Organization) -> World:
    cn_offer = ProfileFactory.create(organization=cn_org, language="zh", published=True)
    ru_request = ProfileFactory.create(
        organization=ru_org, language="ru", kind=ProfileKind.REQUEST, published=True
    )
    ru_draft = ProfileFactory.create(organization=ru_org, language="ru", kind=ProfileKind.REQUEST)
    other_submitted = ProfileFactory.create(
        organization=other_org, language="en", status=ProfileStatus.SUBMITTED
    )
    match = MatchFactory.create(offer=cn_offer, request=ru_request)
    return World(cn_offer, ru_draft, other_submitted, match)


@pytest.fixture
def clients(
    anon_client: Client,
    secretariat_client: Client,
    broker_client: Client,
    cn_rep_client: Client,
    ru_rep_client: Client,
    outsider_client: Client,
) -> dict[str, Client]:
    return {
        "anon": anon_client,
        "secretariat": secretariat_client,
        "broker": broker_client,
        "cn_rep": cn_rep_client,
        "ru_rep": ru_rep_client,
        "outsider": outsider_client,
    }


def _status(client: Client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_open_for_everyone(
    world: World, clients: dict[str, Client], persona: str
) -> None:
    client = clients[persona]
    for url in (
        reverse("core:home"),
        reverse("exchange:search"),
        reverse("organizations:directory"),
        reverse("organizations:detail", args=[world.cn_offer.organization_id]),
        reverse("exchange:profile", args=[world.cn_offer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    listing = client.get(reverse("exchange:search")).content.decode()
    assert world.cn_offer.title in listing
    assert world.ru_draft.title not in listing
    assert world.other_submitted.title not in listing


# who sees which unpublished profile (200) and who gets "not found" (404)
UNPUBLISHED_VISIBILITY = {
    "ru_draft": {
        "anon": 404,
        "secretariat": 200,
        "broker": 200,
        "cn_rep": 404,
        "ru_rep": 200,
        "outsider": 404,
    },
    "other_submitted": {
        "anon": 404,
        "secretariat": 200,
        "broker": 200,  # every technology manager reviews submitted profiles
        "cn_rep": 404,
        "ru_rep": 404,
        "outsider": 200,
    },
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("which", sorted(UNPUBLISHED_VISIBILITY))
def test_unpublished_profiles_are_visible_only_to_who_may(
    world: World, clients: dict[str, Client], persona: str, which: str
) -> None:
    profile: Profile = getattr(world, which)
    status = _status(clients[persona], reverse("exchange:profile", args=[profile.pk]))
    assert status == UNPUBLISHED_VISIBILITY[which][persona]


EDIT_DRAFT = {
    "anon": 302,
    "secretariat": 200,
    "broker": 200,
    "cn_rep": 404,
    "ru_rep": 200,
    "outsider": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_form_only_for_managers(
    world: World, clients: dict[str, Client], persona: str
) -> None:
    url = reverse("exchange:edit", args=[world.ru_draft.pk])
    assert _status(clients[persona], url) == EDIT_DRAFT[persona]


def test_published_profile_edit_forbidden_to_other_representatives(
    world: World, clients: dict[str, Client]
) -> None:
    url = reverse("exchange:edit", args=[world.cn_offer.pk])
    assert _status(clients["ru_rep"], url) == 403
    assert _status(clients["cn_rep"], url) == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anon", 302), ("secretariat", 200), ("broker", 403), ("cn_rep", 403), ("ru_rep", 403)],
)
def test_review_queue(
    world: World, clients: dict[str, Client], persona: str, expected: int
) -> None:
    if persona == "broker":
        expected = 200
    response = clients[persona].get(reverse("exchange:review"))
    assert response.status_code == expected
    if expected == 200:
        assert world.other_submitted.title in response.content.decode()
        assert world.ru_draft.title not in response.content.decode()


def test_submit_then_publish_flow(world: World, clients: dict[str, Client]) -> None:
    submit = reverse("exchange:action", args=[world.ru_draft.pk, "submit"])
    assert clients["cn_rep"].post(submit).status_code == 404
    world.ru_draft.refresh_from_db()
    assert world.ru_draft.status == ProfileStatus.DRAFT

    assert clients["ru_rep"].post(submit).status_code == 302
    world.ru_draft.refresh_from_db()
    assert world.ru_draft.status == ProfileStatus.SUBMITTED

    publish = reverse("exchange:action", args=[world.ru_draft.pk, "publish"])
    assert clients["ru_rep"].post(publish).status_code == 403
    world.ru_draft.refresh_from_db()
    assert world.ru_draft.status == ProfileStatus.SUBMITTED

    assert clients["broker"].post(publish).status_code == 302
    world.ru_draft.refresh_from_db()
    assert world.ru_draft.status == ProfileStatus.PUBLISHED
    assert world.ru_draft.expires_at is not None


def test_reject_needs_a_reason_and_shows_it_to_the_owner(
    world: World, clients: dict[str, Client]
) -> None:
    url = reverse("exchange:action", args=[world.other_submitted.pk, "reject"])
    clients["secretariat"].post(url, {"reason": ""})
    world.other_submitted.refresh_from_db()
    assert world.other_submitted.status == ProfileStatus.SUBMITTED

    clients["secretariat"].post(url, {"reason": "Please describe the prototype's capacity."})
    world.other_submitted.refresh_from_db()
    assert world.other_submitted.status == ProfileStatus.REJECTED
    page = clients["outsider"].get(reverse("exchange:profile", args=[world.other_submitted.pk]))
    assert "Please describe the prototype&#x27;s capacity." in page.content.decode()


def test_get_never_changes_state(world: World, clients: dict[str, Client]) -> None:
    url = reverse("exchange:action", args=[world.ru_draft.pk, "submit"])
    assert clients["ru_rep"].get(url).status_code == 405
    world.ru_draft.refresh_from_db()
    assert world.ru_draft.status == ProfileStatus.DRAFT


@pytest.fixture
def sector(db: None) -> Sector:
    return SectorFactory.create()


def _form_data(org: Organization, sector: Sector, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organization": org.pk,
        "kind": "offer",
        "language": "ru",
        "title": "Морозостойкий бетон для строительства на вечной мерзлоте",
        "summary": "Добавка повышает морозостойкость бетона до марки F300 при заливке зимой.",
        "description": "Комплексная добавка позволяет бетонировать при температуре до минус "
        "двадцати пяти градусов без прогрева. Испытания проведены в Якутске.",
        "development_stage": "pilot",
        "ipr_status": "granted",
        "sectors": [sector.pk],
        "keywords": "бетон, мерзлота; морозостойкость",
        "partnership_types": ["licence"],
        "target_countries": ["CN"],
    }
    data.update(overrides)
    return data


def test_create_profile_as_representative(
    ru_rep_client: Client, ru_org: Organization, sector: Sector
) -> None:
    response = ru_rep_client.post(reverse("exchange:create"), _form_data(ru_org, sector))
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.status == ProfileStatus.DRAFT
    assert profile.organization == ru_org
    assert profile.keywords == ["бетон", "мерзлота", "морозостойкость"]
    assert profile.events.count() == 1


def test_create_and_submit_in_one_step(
    ru_rep_client: Client, ru_org: Organization, sector: Sector
) -> None:
    ru_rep_client.post(reverse("exchange:create"), {**_form_data(ru_org, sector), "then": "submit"})
    assert Profile.objects.get().status == ProfileStatus.SUBMITTED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"language": "zh"}, "language", "The text looks like"),
        ({"title": "x" * 257}, "title", "at most 256 characters"),
        ({"summary": ""}, "summary", "This field is required"),
        ({"kind": "gift"}, "kind", "Select a valid choice"),
        ({"keywords": ", ".join(f"слово{i}" for i in range(20))}, "keywords", "At most 12"),
    ],
)
def test_create_rejects_bad_input_and_writes_nothing(
    ru_rep_client: Client,
    ru_org: Organization,
    sector: Sector,
    overrides: dict[str, object],
    field: str,
    message: str,
) -> None:
    ru_rep_client.cookies["django_language"] = "en"
    response = ru_rep_client.post(
        reverse("exchange:create"), _form_data(ru_org, sector, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert not Profile.objects.exists()


def test_error_messages_are_translated(
    ru_rep_client: Client, ru_org: Organization, sector: Sector
) -> None:
    response = ru_rep_client.post(
        reverse("exchange:create"),
        _form_data(ru_org, sector, language="zh"),
        headers={"accept-language": "ru"},
    )
    errors = response.context["form"].errors["language"]
    assert any("Похоже, что текст написан" in e for e in errors), errors


def test_representative_cannot_create_for_another_organisation(
    ru_rep_client: Client, cn_org: Organization, sector: Sector
) -> None:
    response = ru_rep_client.post(reverse("exchange:create"), _form_data(cn_org, sector))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Profile.objects.exists()


def test_user_without_organisation_cannot_open_the_form(db: None, client: Client) -> None:
    user = User.objects.create_user("lonely", password="pw-lonely-123")
    client.force_login(user)
    assert client.get(reverse("exchange:create")).status_code == 403


MATCH_VISIBILITY = {
    "anon": 302,
    "secretariat": 200,
    "broker": 200,
    "cn_rep": 200,
    "ru_rep": 200,
    "outsider": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_match_detail_visibility(world: World, clients: dict[str, Client], persona: str) -> None:
    url = reverse("exchange:match", args=[world.match.pk])
    assert _status(clients[persona], url) == MATCH_VISIBILITY[persona]


def test_opening_a_match_marks_only_my_side_seen(world: World, clients: dict[str, Client]) -> None:
    clients["cn_rep"].get(reverse("exchange:match", args=[world.match.pk]))
    world.match.refresh_from_db()
    assert world.match.offer_status == MatchStatus.SEEN
    assert world.match.request_status == MatchStatus.NEW


def test_match_status_only_for_own_side(world: World, clients: dict[str, Client]) -> None:
    url = reverse("exchange:match-status", args=[world.match.pk])
    response = clients["cn_rep"].post(url, {"side": "request", "status": "dismissed"})
    assert response.status_code == 403
    clients["cn_rep"].post(url, {"side": "offer", "status": "shortlisted"})
    world.match.refresh_from_db()
    assert world.match.offer_status == MatchStatus.SHORTLISTED
    assert world.match.request_status == MatchStatus.NEW


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("secretariat", True),
        ("broker", True),
        ("cn_rep", True),
        ("ru_rep", True),
        ("outsider", False),
    ],
)
def test_match_list_shows_my_organisations_matches(
    world: World, clients: dict[str, Client], persona: str, sees: bool
) -> None:
    page = clients[persona].get(reverse("exchange:matches")).content.decode()
    assert (world.cn_offer.title in page) is sees


def test_profile_page_lists_matches_only_to_logged_in_users(
    world: World, clients: dict[str, Client]
) -> None:
    url = reverse("exchange:profile", args=[world.cn_offer.pk])
    assert world.match.request.title not in clients["anon"].get(url).content.decode()
    assert world.match.request.title in clients["cn_rep"].get(url).content.decode()
    assert world.match.request.title not in clients["outsider"].get(url).content.decode()


def test_my_profiles_lists_own_drafts_only(world: World, clients: dict[str, Client]) -> None:
    page = clients["ru_rep"].get(reverse("exchange:mine")).content.decode()
    assert world.ru_draft.title in page
    assert world.cn_offer.title not in page
    assert clients["anon"].get(reverse("exchange:mine")).status_code == 302


@pytest.mark.parametrize("language", ["zh-hans", "ru", "en"])
def test_pages_render_in_each_language(world: World, client: Client, language: str) -> None:
    client.cookies["django_language"] = language
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert f'<html lang="{language}"' in home.content.decode()
