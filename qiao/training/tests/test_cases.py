"""The case library: trilingual cases, teaching notes for lecturers only, search across
languages with the matching engine, and a won deal turned into an anonymised case once both
parties consent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import ProfileFactory
from qiao.deals import services as deal_services
from qiao.deals.models import AgreementType, Deal, DealStage
from qiao.organizations.models import Organization
from qiao.training import services
from qiao.training.models import Case, CaseConsent, CaseText

pytestmark = pytest.mark.django_db

TEXTS = {
    "zh": (
        "激光熔覆技术许可给俄罗斯机械厂",
        "一所哈尔滨高职院校开发了激光熔覆修复轴类零件的工艺。",
    ),
    "ru": (
        "Лицензия на лазерную наплавку для российского машиностроительного завода",
        "Харбинский колледж разработал технологию лазерной наплавки для ремонта валов.",
    ),
    "en": (
        "Licensing laser cladding to a Russian machine-building plant",
        "A Harbin college developed laser cladding to repair shafts.",
    ),
}


def _case(*, published: bool = True, languages: tuple[str, ...] = ("zh", "ru", "en")) -> Case:
    case = Case.objects.create(published=False, lessons="licensing, trust")
    for code in languages:
        title, background = TEXTS[code]
        CaseText.objects.create(
            case=case,
            language=code,
            title=title,
            background=background,
            parties="…",
            technology=title,
            questions="Q1\nQ2",
            teaching_notes=f"NOTES-{code}",
        )
    if published:
        case.published = True
        case.save()
    return case


def _publish(actor: User, case: Case, capture: Callable[..., Any]) -> None:
    with capture(execute=True):
        services.case_publish(actor=actor, case=case, published=True)


@pytest.mark.parametrize(
    ("persona", "status", "sees_notes"),
    [
        ("anon_client", 302, False),
        ("outsider_client", 403, False),
        ("applicant_client", 403, False),
        ("trainee_client", 200, False),
        ("lecturer_client", 200, True),
        ("secretariat_client", 200, True),
    ],
)
def test_reading_a_case(
    request: pytest.FixtureRequest, persona: str, status: int, sees_notes: bool, cohort: Any
) -> None:
    request.getfixturevalue("lecturer")
    case = _case()
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("training:cases")).status_code == status
    response = client.get(reverse("training:case", args=[case.pk]) + "?lang=ru")
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert TEXTS["ru"][0] in body
        assert ("NOTES-ru" in body) is sees_notes


@pytest.mark.parametrize(
    ("persona", "status"),
    [("trainee_client", 403), ("lecturer_client", 200), ("secretariat_client", 200)],
)
def test_drafts_only_for_teachers(
    request: pytest.FixtureRequest, persona: str, status: int, lecturer: User, trainee: User
) -> None:
    case = _case(published=False)
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("training:case", args=[case.pk])).status_code == status
    listed = client.get(reverse("training:cases")).context["cases"]
    assert (case in listed) is (status == 200)


@pytest.mark.parametrize(
    ("persona", "status", "published"),
    [
        ("anon_client", 302, False),
        ("trainee_client", 403, False),
        ("outsider_client", 403, False),
        ("lecturer_client", 302, True),
        ("secretariat_client", 302, True),
    ],
)
def test_publishing(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    published: bool,
    lecturer: User,
    trainee: User,
) -> None:
    case = _case(published=False)
    client: Client = request.getfixturevalue(persona)
    response = client.post(reverse("training:case-publish", args=[case.pk]), {"published": "1"})
    assert response.status_code == status
    case.refresh_from_db()
    assert case.published is published


def test_case_reads_in_the_readers_language(trainee_client: Client) -> None:
    case = _case()
    response = trainee_client.get(reverse("training:case", args=[case.pk]))  # trainee: zh-hans
    assert response.context["text"].language == "zh"


def test_publishing_needs_a_text(secretariat: User) -> None:
    case = Case.objects.create()
    with pytest.raises(ServiceError):
        services.case_publish(actor=secretariat, case=case, published=True)


def test_search_finds_cases_across_languages(
    secretariat: User, trainee: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    chinese_only = _case(published=False, languages=("zh",))
    _publish(secretariat, chinese_only, django_capture_on_commit_callbacks)
    other = Case.objects.create(lessons="finance")
    CaseText.objects.create(
        case=other,
        language="ru",
        title="Совместное предприятие по производству молочной продукции",
        background="Молочный завод и китайский дистрибьютор создали совместное предприятие.",
        parties="…",
        technology="Переработка молока",
    )
    _publish(secretariat, other, django_capture_on_commit_callbacks)
    from qiao.training.selectors import case_list

    # A Russian query finds the Chinese-only case about laser cladding first.
    found = case_list(user=trainee, query="лазерная наплавка валов")
    assert found[0] == chinese_only
    english = case_list(user=trainee, query="dairy joint venture")
    assert english[0] == other
    # Withdrawn cases leave the index.
    with django_capture_on_commit_callbacks(execute=True):
        services.case_publish(actor=secretariat, case=chinese_only, published=False)
    assert chinese_only not in case_list(user=trainee, query="лазерная наплавка валов")


# --- a won deal becomes a case ------------------------------------------------------------------


@pytest.fixture
def won_deal(cn_org: Organization, ru_rep: User, broker: User) -> Deal:
    cn_org.name_en = "Harbin Laser College"
    cn_org.save()
    offer = ProfileFactory.create(
        organization=cn_org,
        language="en",
        published=True,
        title="Laser cladding by Harbin Laser College",
        summary="Harbin Laser College repairs shafts by laser cladding.",
    )
    interest = deal_services.interest_express(actor=ru_rep, profile=offer, message="Интересно")
    deal_services.interest_decide(actor=broker, interest=interest, approve=True)
    deal = Deal.objects.get(interest=interest)
    for stage in (
        DealStage.FIRST_CONTACT,
        DealStage.NDA,
        DealStage.NEGOTIATION,
        DealStage.AGREEMENT,
    ):
        deal = deal_services.deal_move(actor=broker, deal=deal, to_stage=stage)
    deal = deal_services.deal_set_agreement(
        actor=broker,
        deal=deal,
        agreement_type=AgreementType.LICENCE,
        value=None,
        currency="",
        signed_on=date(2026, 5, 1),
    )
    for stage in (DealStage.IMPLEMENTATION, DealStage.CLOSED_WON):
        deal = deal_services.deal_move(actor=broker, deal=deal, to_stage=stage)
    return deal


def test_deal_becomes_an_anonymised_case_after_both_consent(
    won_deal: Deal, cn_rep: User, ru_rep: User, broker: User
) -> None:
    with pytest.raises(ServiceError, match="Both parties"):
        services.case_from_deal(actor=broker, deal=won_deal)
    services.case_consent(actor=cn_rep, deal=won_deal)
    with pytest.raises(ServiceError):
        services.case_from_deal(actor=broker, deal=won_deal)
    services.case_consent(actor=ru_rep, deal=won_deal)
    case = services.case_from_deal(actor=broker, deal=won_deal)
    assert not case.published
    assert (case.stage, case.agreement_type) == (DealStage.CLOSED_WON, AgreementType.LICENCE)
    text = case.texts.get()
    assert text.language == "en"
    everything = " ".join([text.title, text.background, text.parties, text.technology])
    assert "Harbin Laser College" not in everything
    assert won_deal.partner.display_name("en") not in everything
    assert "China" in text.parties and "Russia" in text.parties
    assert "Licence" in text.outcome and "Closed: won" in text.outcome
    with pytest.raises(ServiceError):
        services.case_from_deal(actor=broker, deal=won_deal)


def test_only_parties_consent_and_only_managers_create(
    won_deal: Deal, outsider: User, cn_rep: User, ru_rep: User
) -> None:
    with pytest.raises(NotAllowed):
        services.case_consent(actor=outsider, deal=won_deal)
    services.case_consent(actor=cn_rep, deal=won_deal)
    services.case_consent(actor=ru_rep, deal=won_deal)
    with pytest.raises(NotAllowed):
        services.case_from_deal(actor=cn_rep, deal=won_deal)


def test_open_deal_cannot_become_a_case(cn_rep: User, broker: User, won_deal: Deal) -> None:
    won_deal.stage = DealStage.NEGOTIATION
    won_deal.save()
    with pytest.raises(NotAllowed):
        services.case_consent(actor=cn_rep, deal=won_deal)
    with pytest.raises(NotAllowed):
        services.case_from_deal(actor=broker, deal=won_deal)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("cn_rep_client", 200),
        ("ru_rep_client", 200),
        ("broker_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_deal_case_page(
    request: pytest.FixtureRequest, persona: str, status: int, won_deal: Deal
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("training:deal-case", args=[won_deal.pk])).status_code == status


def test_deal_case_flow_over_http(
    won_deal: Deal, cn_rep_client: Client, ru_rep_client: Client, broker_client: Client
) -> None:
    url = reverse("training:deal-case", args=[won_deal.pk])
    # A representative cannot write the case, the broker cannot consent for a party.
    assert cn_rep_client.post(url, {"action": "create"}).status_code == 403
    assert broker_client.post(url, {"action": "consent"}).status_code == 403
    cn_rep_client.post(url, {"action": "consent"})
    ru_rep_client.post(url, {"action": "consent"})
    assert CaseConsent.objects.filter(deal=won_deal).count() == 2
    response = broker_client.post(url, {"action": "create"})
    case = Case.objects.get(source_deal=won_deal)
    assert response["Location"] == reverse("training:case", args=[case.pk])
    deal_page = broker_client.get(reverse("deals:deal", args=[won_deal.pk])).content.decode()
    assert url in deal_page
