"""In-app authoring for every persona: cases (lecturers of any cohort, the secretariat),
simulation assignments and their pools (the cohort's lecturers, the secretariat)."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.deals.models import AgreementType, DealStage
from qiao.search.collections.cases import case_pk_of
from qiao.search.collections.sandbox import offer_pk_of
from qiao.search.selectors import search_text
from qiao.training import services, simulation
from qiao.training.models import Assignment, Case, CaseText, Cohort, Module, SandboxOffer

pytestmark = pytest.mark.django_db


def search_cases(query: str) -> set[int]:
    """The cases the index finds for a query (through any of their language versions)."""
    return {case_pk_of(m.doc_id) for m in search_text(collection="cases", query=query, k=60)}


def search(assignment: Assignment, query: str) -> list[int]:
    """The offers of the assignment's pool the sandbox index finds for a query, best first."""
    hits = search_text(
        collection="sandbox", query=query, filters={"assignment": {str(assignment.pk)}}, k=10
    )
    return [offer_pk_of(m.doc_id) for m in hits]


# (persona, may author cases, may author this cohort's assignments)
PERSONAS = [
    ("anon_client", None, None),
    ("outsider_client", False, False),
    ("trainee_client", False, False),
    ("lecturer_client", True, True),
    ("foreign_lecturer_client", True, False),
    ("secretariat_client", True, True),
]

CASE_TEXT = {
    "title": "Лазерная наплавка для Хабаровского завода",
    "background": "Завод в Хабаровске искал способ восстанавливать валы.",
    "parties": "Китайский колледж и российское предприятие.",
    "technology": "Лазерная наплавка изношенных валов.",
    "obstacles": "Таможня и сертификация.",
    "outcome": "Подписан лицензионный договор.",
    "questions": "Что помогло?\nЧто бы вы сделали иначе?",
    "teaching_notes": "Обсудите роль брокера.",
}


def _client(request: pytest.FixtureRequest, persona: str) -> Client:
    request.getfixturevalue("lecturer")
    request.getfixturevalue("foreign_lecturer")
    request.getfixturevalue("trainee")
    client: Client = request.getfixturevalue(persona)
    return client


def _expected(allowed: bool | None, success: int = 302) -> int:
    return 302 if allowed is None else (success if allowed else 403)


def _draft_case() -> Case:
    case = Case.objects.create()
    CaseText.objects.create(case=case, language="ru", **CASE_TEXT)
    return case


# --- cases ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed", "_assign"), PERSONAS)
def test_write_a_case(
    request: pytest.FixtureRequest, persona: str, allowed: bool | None, _assign: bool | None
) -> None:
    client = _client(request, persona)
    url = reverse("training:case-new")
    assert client.get(url).status_code == _expected(allowed, 200)
    response = client.post(
        url,
        {
            "language": "ru",
            **CASE_TEXT,
            "stage": DealStage.CLOSED_WON,
            "agreement_type": AgreementType.LICENCE,
            "lessons": " customs ,  certification,,",
        },
    )
    assert response.status_code == _expected(allowed)
    case = Case.objects.first()
    if not allowed:
        assert case is None
        return
    assert case is not None
    assert response["Location"] == reverse("training:case-edit", args=[case.pk])
    assert not case.published
    assert case.lessons == "customs, certification"
    assert case.text().title == CASE_TEXT["title"]  # type: ignore[union-attr]


@pytest.mark.parametrize(("persona", "allowed", "_assign"), PERSONAS)
def test_edit_tags_and_translate(
    request: pytest.FixtureRequest, persona: str, allowed: bool | None, _assign: bool | None
) -> None:
    client = _client(request, persona)
    case = _draft_case()
    edit = reverse("training:case-edit", args=[case.pk])
    text = reverse("training:case-text", args=[case.pk, "zh"])
    assert client.get(edit).status_code == _expected(allowed, 200)
    assert client.get(text).status_code == _expected(allowed, 200)
    client.post(edit, {"stage": DealStage.AGREEMENT, "agreement_type": "", "lessons": "nda"})
    response = client.post(
        text,
        {
            "title": "哈巴罗夫斯克工厂的激光熔覆",
            "background": "哈巴罗夫斯克的工厂需要修复轴类零件。",
            "parties": "中国高职院校和俄罗斯企业。",
            "technology": "激光熔覆修复。",
        },
    )
    assert response.status_code == _expected(allowed)
    case.refresh_from_db()
    languages = sorted(case.texts.values_list("language", flat=True))
    if allowed:
        assert (case.stage, case.lessons) == (DealStage.AGREEMENT, "nda")
        assert languages == ["ru", "zh"]
    else:
        assert (case.stage, case.lessons) == ("", "")
        assert languages == ["ru"]


def test_rewriting_a_language_keeps_one_text_per_language(lecturer: User) -> None:
    case = _draft_case()
    services.case_text_save(
        actor=lecturer, case=case, language="ru", text={**CASE_TEXT, "title": "Новое название"}
    )
    assert list(case.texts.values_list("language", "title")) == [("ru", "Новое название")]


def test_a_case_needs_its_main_texts(lecturer: User) -> None:
    with pytest.raises(ServiceError):
        services.case_create(actor=lecturer, language="ru", text={**CASE_TEXT, "technology": " "})
    with pytest.raises(ServiceError):
        services.case_create(actor=lecturer, language="xx", text=CASE_TEXT)
    with pytest.raises(ServiceError):
        services.case_create(actor=lecturer, language="ru", text=CASE_TEXT, stage="nonsense")
    assert not Case.objects.exists()


@pytest.mark.parametrize(("persona", "allowed", "_assign"), PERSONAS)
def test_publish_and_withdraw(
    request: pytest.FixtureRequest, persona: str, allowed: bool | None, _assign: bool | None
) -> None:
    client = _client(request, persona)
    case = _draft_case()
    url = reverse("training:case-publish", args=[case.pk])
    with request.getfixturevalue("django_capture_on_commit_callbacks")(execute=True):
        assert client.post(url, {"published": "1"}).status_code == _expected(allowed)
    case.refresh_from_db()
    assert case.published is bool(allowed)
    assert (case.pk in (search_cases("лазерная наплавка валов"))) is bool(allowed)
    if allowed:
        with request.getfixturevalue("django_capture_on_commit_callbacks")(execute=True):
            client.post(url, {"published": "0"})
        assert case.pk not in (search_cases("лазерная наплавка валов"))


def test_editing_a_published_case_reindexes_it(
    lecturer: User, django_capture_on_commit_callbacks: pytest.FixtureRequest
) -> None:
    case = _draft_case()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.case_publish(actor=lecturer, case=case, published=True)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.case_text_save(
            actor=lecturer,
            case=case,
            language="en",
            text={
                "title": "Permafrost road sensors",
                "background": "A Yakutsk road agency needed sensors for frozen ground.",
                "parties": "A Chinese university and a Russian agency.",
                "technology": "Fibre-optic permafrost sensors.",
            },
        )
    assert case.pk in (search_cases("permafrost sensors"))


def test_case_pages_link_to_authoring(lecturer_client: Client, lecturer: User) -> None:
    case = _draft_case()
    assert b'data-testid="new-case"' in lecturer_client.get(reverse("training:cases")).content
    page = lecturer_client.get(reverse("training:case", args=[case.pk]))
    assert reverse("training:case-edit", args=[case.pk]).encode() in page.content


# --- assignments ---------------------------------------------------------------------------------


def _assignment_data(module: Module | None = None, **extra: str) -> dict[str, str]:
    start = timezone.localdate() + timedelta(days=5)
    return {
        "module": str(module.pk) if module else "",
        "title_zh": "为远东工厂寻找修复技术",
        "title_ru": "",
        "title_en": "Find a repair technology",
        "situation_zh": "哈巴罗夫斯克一家工厂需要修复轴。",
        "situation_en": "A Khabarovsk plant must restore worn shafts.",
        "time_zone": "Asia/Harbin",
        "partners_due": f"{start.isoformat()}T18:00",
        "deal_due": f"{(start + timedelta(days=3)).isoformat()}T18:00",
        **extra,
    }


@pytest.mark.parametrize(("persona", "_case", "allowed"), PERSONAS)
def test_new_assignment(
    request: pytest.FixtureRequest,
    persona: str,
    _case: bool | None,
    allowed: bool | None,
    cohort: Cohort,
    modules: list[Module],
) -> None:
    client = _client(request, persona)
    url = reverse("training:assignment-new", args=[cohort.pk])
    assert client.get(url).status_code == _expected(allowed, 200)
    response = client.post(url, _assignment_data(modules[0]))
    assert response.status_code == _expected(allowed)
    assignment = Assignment.objects.filter(cohort=cohort).first()
    if not allowed:
        assert assignment is None
        return
    assert assignment is not None
    assert response["Location"] == reverse("training:assignment-edit", args=[assignment.pk])
    assert (assignment.module, assignment.published) == (modules[0], False)
    # 18:00 in Harbin is 10:00 UTC.
    assert assignment.partners_due.astimezone(UTC).hour == 10
    assert assignment.title("ru") in ("Find a repair technology", "为远东工厂寻找修复技术")


def test_assignment_rules(lecturer: User, cohort: Cohort, modules: list[Module]) -> None:
    now = timezone.now()
    titles, situations = {"en": "T"}, {"en": "S"}
    other = Module.objects.create(
        programme=type(cohort.programme).objects.create(title_en="Other"),
        area=modules[0].area,
        title_en="Elsewhere",
    )
    for module, t, s, partners, deal in [
        (other, titles, situations, now, now),  # module of another programme
        (None, {"en": " "}, situations, now, now),  # no title
        (None, titles, {}, now, now),  # no situation
        (None, titles, situations, now, now - timedelta(days=1)),  # deadlines reversed
    ]:
        with pytest.raises(ServiceError):
            services.assignment_create(
                actor=lecturer,
                cohort=cohort,
                module=module,
                titles=t,
                situations=s,
                partners_due=partners,
                deal_due=deal,
            )
    assert not Assignment.objects.exists()


def test_publishing_needs_a_reference_solution(
    lecturer_client: Client, lecturer: User, cohort: Cohort, modules: list[Module]
) -> None:
    lecturer_client.post(reverse("training:assignment-new", args=[cohort.pk]), _assignment_data())
    assignment = Assignment.objects.get()
    edit = reverse("training:assignment-edit", args=[assignment.pk])
    response = lecturer_client.post(edit, _assignment_data(modules[1], published="on"))
    assert response.status_code == 200  # the form again, with the error
    assignment.refresh_from_db()
    assert not assignment.published
    services.sandbox_offer_save(
        actor=lecturer,
        assignment=assignment,
        language="ru",
        organization_name="ООО «Ремвал» (вымышленная)",
        title="Восстановление валов",
        summary="Наплавка валов.",
        is_reference=True,
    )
    assert (
        lecturer_client.post(edit, _assignment_data(modules[1], published="on")).status_code == 302
    )
    assignment.refresh_from_db()
    assert (assignment.published, assignment.module) == (True, modules[1])


@pytest.mark.parametrize(("persona", "_case", "allowed"), PERSONAS)
def test_edit_assignment_and_pool(
    request: pytest.FixtureRequest,
    persona: str,
    _case: bool | None,
    allowed: bool | None,
    assignment: Assignment,
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    client = _client(request, persona)
    edit = reverse("training:assignment-edit", args=[assignment.pk])
    assert client.get(edit).status_code == _expected(allowed, 200)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("training:offer-new", args=[assignment.pk]),
            {
                "language": "ru",
                "organization_name": "АО «Плазмотех» (вымышленная)",
                "title": "Плазменная наплавка валов прокатных станов",
                "summary": "Восстановление изношенных валов плазменной наплавкой.",
                "is_reference": "on",
            },
        )
    assert response.status_code == _expected(allowed)
    added = SandboxOffer.objects.filter(organization_name__startswith="АО").first()
    if not allowed:
        assert added is None
        offer = assignment.offers.get(title="奶酪发酵菌种")
        for action in ("delete", "reference"):
            url = reverse("training:offer-action", args=[offer.pk, action])
            assert client.post(url, {"is_reference": "1"}).status_code == _expected(allowed)
        assert client.get(reverse("training:offer-edit", args=[offer.pk])).status_code == (
            _expected(allowed)
        )
        offer.refresh_from_db()
        assert not offer.is_reference
        return
    assert added is not None and added.is_reference
    # The pool is re-indexed after commit: a search finds the new offer.
    assert added.pk in search(assignment, "плазменная наплавка валов")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(
            reverse("training:offer-edit", args=[added.pk]),
            {
                "language": "en",
                "organization_name": "Plasmatech JSC (fictitious)",
                "title": "Plasma hardfacing of rolling-mill rolls",
                "summary": "Restoring worn rolls by plasma hardfacing.",
            },
        )
        client.post(
            reverse("training:offer-action", args=[added.pk, "reference"]), {"is_reference": "1"}
        )
    added.refresh_from_db()
    assert (added.language, added.is_reference) == ("en", True)
    assert added.pk in search(assignment, "plasma hardfacing rolls")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(reverse("training:offer-action", args=[added.pk, "delete"]))
    assert not SandboxOffer.objects.filter(pk=added.pk).exists()
    assert added.pk not in search(assignment, "plasma hardfacing rolls")


def test_an_offer_a_trainee_chose_stays(
    lecturer: User, trainee: User, assignment: Assignment
) -> None:
    offer = assignment.offers.get(title="奶酪发酵菌种")
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    simulation.attempt_choose_partner(actor=trainee, attempt=attempt, offer=offer, chosen=True)
    with pytest.raises(ServiceError):
        services.sandbox_offer_delete(actor=lecturer, offer=offer)
    assert SandboxOffer.objects.filter(pk=offer.pk).exists()


def test_trainee_cannot_author_through_services(
    trainee: User, assignment: Assignment, cohort: Cohort
) -> None:
    with pytest.raises(NotAllowed):
        services.case_create(actor=trainee, language="ru", text=CASE_TEXT)
    with pytest.raises(NotAllowed):
        services.sandbox_offer_set_reference(
            actor=trainee,
            offer=assignment.offers.all()[0],
            is_reference=True,
        )
    with pytest.raises(NotAllowed):
        services.assignment_create(
            actor=trainee,
            cohort=cohort,
            module=None,
            titles={"en": "T"},
            situations={"en": "S"},
            partners_due=timezone.now(),
            deal_due=timezone.now(),
        )


def test_cohort_page_offers_new_assignment_to_its_lecturers(
    lecturer_client: Client, foreign_lecturer_client: Client, cohort: Cohort
) -> None:
    url = reverse("training:cohort", args=[cohort.pk])
    assert b'data-testid="new-assignment"' in lecturer_client.get(url).content
    assert b'data-testid="new-assignment"' not in foreign_lecturer_client.get(url).content


def test_deadlines_are_shown_in_the_viewers_zone(
    lecturer_client: Client, assignment: Assignment
) -> None:
    """The lecturer reads Russian: the deadlines are shown in Moscow time, and saving the form
    unchanged keeps them."""
    edit = reverse("training:assignment-edit", args=[assignment.pk])
    form = lecturer_client.get(edit).context["form"]
    assert form.initial["time_zone"] == "Europe/Moscow"
    moscow = assignment.partners_due.astimezone(ZoneInfo("Europe/Moscow"))
    assert form.initial["partners_due"] == moscow.replace(tzinfo=None)
    data = {
        name: form.initial.get(name) or ""
        for name in form.fields
        if name not in ("module", "published", "partners_due", "deal_due")
    }
    data["partners_due"] = form.initial["partners_due"].strftime("%Y-%m-%dT%H:%M")
    data["deal_due"] = form.initial["deal_due"].strftime("%Y-%m-%dT%H:%M")
    data["published"] = "on"
    assert lecturer_client.post(edit, data).status_code == 302
    before = assignment.partners_due.replace(second=0, microsecond=0)
    assignment.refresh_from_db()
    assert assignment.partners_due == before
