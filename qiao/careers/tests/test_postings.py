"""Postings: lifecycle, validation and who may do what (every role, every action)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qiao.accounts.models import User
from qiao.careers import services
from qiao.careers.models import Posting, PostingEvent, PostingStatus
from qiao.careers.tests.factories import PostingFactory
from qiao.core.errors import NotAllowed, ServiceError
from qiao.organizations.models import Organization
from qiao.search.collections.careers import posting_key
from qiao.search.selectors import search_ids
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db

ROLES = [
    "anon_client",
    "student_client",
    "employer_client",
    "cn_rep_client",
    "outsider_client",
    "secretariat_client",
    "broker_client",
]


def _form(employer: Organization, **overrides: object) -> dict[str, object]:
    today = timezone.localdate()
    data: dict[str, object] = {
        "employer": employer.pk,
        "kind": "internship",
        "language": "ru",
        "title": "Стажировка оператора станков с ЧПУ",
        "description": "Завод приглашает студентов на стажировку в механический цех: "
        "наладка и обслуживание станков с числовым программным управлением.",
        "requirements": "Знание основ черчения.",
        "specialty": "Обработка металлов",
        "skills_text": "станки с ЧПУ, черчение",
        "country": "RU",
        "city": "Новосибирск",
        "min_chinese": 0,
        "min_russian": 3,
        "min_english": 0,
        "start_date": (today + timedelta(days=60)).isoformat(),
        "end_date": (today + timedelta(days=120)).isoformat(),
        "duration_months": 2,
        "pay_monthly": 40000,
        "currency": "RUB",
        "housing": "on",
        "places": 3,
        "closes_on": (today + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_employer_creates_and_submits_posting(
    employer_client: Client, ru_enterprise: Organization
) -> None:
    response = employer_client.post(
        reverse("careers:posting-create"), {**_form(ru_enterprise), "then": "submit"}
    )
    posting = Posting.objects.get()
    assert response.status_code == 302
    assert posting.status == PostingStatus.SUBMITTED
    assert posting.skills == ["станки с ЧПУ", "черчение"]
    assert posting.min_russian == 3 and posting.housing and not posting.visa_support
    assert list(posting.events.values_list("to_status", flat=True)) == ["draft", "submitted"]


def test_language_mismatch_is_a_translated_error_and_nothing_is_saved(
    employer_client: Client, ru_enterprise: Organization
) -> None:
    response = employer_client.post(
        reverse("careers:posting-create"), _form(ru_enterprise, language="zh")
    )
    assert response.status_code == 200
    assert not Posting.objects.exists()
    # the employer's UI is Russian: the error is too
    assert "язык" in response.content.decode().lower()


def test_end_before_start_is_refused(employer_client: Client, ru_enterprise: Organization) -> None:
    today = timezone.localdate()
    response = employer_client.post(
        reverse("careers:posting-create"),
        _form(ru_enterprise, end_date=(today + timedelta(days=10)).isoformat()),
    )
    assert response.status_code == 200
    assert not Posting.objects.exists()
    assert response.context["form"].errors["end_date"]


def test_employer_may_not_post_for_another_organisation(
    employer_client: Client, other_org: Organization
) -> None:
    response = employer_client.post(reverse("careers:posting-create"), _form(other_org))
    assert response.status_code == 200  # not a choice of the form
    assert not Posting.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),
        ("employer_client", 200),
        ("cn_rep_client", 200),  # institutions post too
        ("outsider_client", 200),
        ("secretariat_client", 200),
        ("broker_client", 403),
    ],
)
def test_create_page(request: pytest.FixtureRequest, persona: str, status: int) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(reverse("careers:posting-create")).status_code == status


@pytest.mark.parametrize(
    ("persona", "draft_status", "edit_status"),
    [
        ("anon_client", 404, 302),
        ("student_client", 404, 404),
        ("employer_client", 200, 200),
        ("cn_rep_client", 404, 404),
        ("outsider_client", 404, 404),
        ("secretariat_client", 200, 200),
        ("broker_client", 404, 404),
    ],
)
def test_draft_visibility_and_edit(
    request: pytest.FixtureRequest,
    ru_enterprise: Organization,
    persona: str,
    draft_status: int,
    edit_status: int,
) -> None:
    draft = PostingFactory.create(employer=ru_enterprise)
    client = request.getfixturevalue(persona)
    assert client.get(reverse("careers:posting", args=[draft.pk])).status_code == draft_status
    assert client.get(reverse("careers:posting-edit", args=[draft.pk])).status_code == edit_status


@pytest.mark.parametrize("persona", ROLES)
def test_published_posting_is_public(
    request: pytest.FixtureRequest, posting: Posting, persona: str
) -> None:
    client = request.getfixturevalue(persona)
    response = client.get(reverse("careers:posting", args=[posting.pk]))
    assert response.status_code == 200
    assert posting.title in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("student_client", False),
        ("employer_client", False),
        ("cn_rep_client", False),
        ("outsider_client", False),
        ("broker_client", False),
        ("secretariat_client", True),
    ],
)
def test_only_secretariat_publishes(
    request: pytest.FixtureRequest,
    ru_enterprise: Organization,
    persona: str,
    allowed: bool,
    django_capture_on_commit_callbacks: object,
) -> None:
    posting = PostingFactory.create(employer=ru_enterprise, status=PostingStatus.SUBMITTED)
    client = request.getfixturevalue(persona)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reverse("careers:posting-action", args=[posting.pk, "publish"]))
    posting.refresh_from_db()
    assert (posting.status == PostingStatus.PUBLISHED) is allowed
    if allowed:
        assert posting_key(posting.pk) in search_ids(collection="careers")
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),
        ("employer_client", 403),
        ("cn_rep_client", 403),
        ("broker_client", 403),
        ("secretariat_client", 200),
    ],
)
def test_review_queue(request: pytest.FixtureRequest, persona: str, status: int) -> None:
    PostingFactory.create(status=PostingStatus.SUBMITTED)
    client = request.getfixturevalue(persona)
    assert client.get(reverse("careers:review")).status_code == status


def test_reject_needs_a_reason_then_employer_resubmits(
    secretariat: User, employer: User, ru_enterprise: Organization
) -> None:
    posting = PostingFactory.create(employer=ru_enterprise, status=PostingStatus.SUBMITTED)
    with pytest.raises(Exception, match="reason"):
        services.posting_reject(actor=secretariat, posting=posting, reason="  ")
    services.posting_reject(actor=secretariat, posting=posting, reason="Укажите оплату.")
    assert posting.status == PostingStatus.REJECTED
    services.posting_submit(actor=employer, posting=posting)
    assert posting.status == PostingStatus.SUBMITTED
    assert posting.rejection_reason == ""


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("student", False),
        ("cn_rep", False),
        ("outsider", False),
        ("broker", False),
        ("employer", True),
        ("secretariat", True),
    ],
)
def test_close_posting(
    request: pytest.FixtureRequest, posting: Posting, persona: str, allowed: bool
) -> None:
    actor = request.getfixturevalue(persona)
    if allowed:
        services.posting_close(actor=actor, posting=posting)
        assert posting.status == PostingStatus.CLOSED
    else:
        with pytest.raises(NotAllowed):
            services.posting_close(actor=actor, posting=posting)


def test_expiry_and_submit_after_closing_date(employer: User, posting: Posting) -> None:
    posting.closes_on = timezone.localdate() - timedelta(days=1)
    posting.save()
    assert services.postings_expire_due() == 1
    posting.refresh_from_db()
    assert posting.status == PostingStatus.EXPIRED
    assert PostingEvent.objects.filter(posting=posting, to_status="expired").exists()
    draft = PostingFactory.create(
        employer=posting.employer, closes_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ServiceError):
        services.posting_submit(actor=employer, posting=draft)


def test_search_across_languages_with_filters(anon_client: Client) -> None:
    welding = PostingFactory.create(language="ru", status=PostingStatus.PUBLISHED, housing=True)
    logistics = PostingFactory.create(language="en", status=PostingStatus.PUBLISHED)
    draft = PostingFactory.create(language="ru")
    for p in (welding, logistics, draft):
        index_now("careers", [posting_key(p.pk)])
    response = anon_client.get(reverse("careers:postings"), {"q": "焊接实习"})
    results = [p for p, _score in response.context["results"]]
    assert results[0] == welding
    assert draft not in results
    response = anon_client.get(reverse("careers:postings"), {"housing": "on"})
    assert list(response.context["page"]) == [welding]
    response = anon_client.get(reverse("careers:postings"), {"country": "KZ"})
    assert list(response.context["page"]) == [logistics]


def test_my_postings_lists_only_own(
    employer_client: Client, ru_enterprise: Organization, django_assert_max_num_queries: object
) -> None:
    own = PostingFactory.create(employer=ru_enterprise)
    other = PostingFactory.create()
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = employer_client.get(reverse("careers:my-postings"))
    assert list(response.context["page"]) == [own]
    assert other.title not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("student_client", False),
        ("employer_client", True),
        ("cn_rep_client", False),
        ("outsider_client", False),
        ("broker_client", False),
        ("secretariat_client", True),
    ],
)
def test_submit_and_edit_by_role(
    request: pytest.FixtureRequest, ru_enterprise: Organization, persona: str, allowed: bool
) -> None:
    posting = PostingFactory.create(employer=ru_enterprise)
    client = request.getfixturevalue(persona)
    client.post(
        reverse("careers:posting-edit", args=[posting.pk]),
        _form(ru_enterprise, title="Стажировка наладчика станков с ЧПУ"),
    )
    client.post(reverse("careers:posting-action", args=[posting.pk, "submit"]))
    posting.refresh_from_db()
    assert (posting.title == "Стажировка наладчика станков с ЧПУ") is allowed
    assert (posting.status == PostingStatus.SUBMITTED) is allowed


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("student_client", False),
        ("employer_client", False),
        ("cn_rep_client", False),
        ("outsider_client", False),
        ("broker_client", False),
        ("secretariat_client", True),
    ],
)
def test_reject_by_role(
    request: pytest.FixtureRequest, ru_enterprise: Organization, persona: str, allowed: bool
) -> None:
    posting = PostingFactory.create(employer=ru_enterprise, status=PostingStatus.SUBMITTED)
    client = request.getfixturevalue(persona)
    client.post(
        reverse("careers:posting-action", args=[posting.pk, "reject"]),
        {"reason": "Укажите оплату труда."},
    )
    posting.refresh_from_db()
    assert (posting.status == PostingStatus.REJECTED) is allowed


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 200),
        ("employer_client", 403),
        ("cn_rep_client", 403),
        ("broker_client", 403),
        ("secretariat_client", 403),
    ],
)
def test_recommended_page(
    request: pytest.FixtureRequest, posting: Posting, persona: str, status: int
) -> None:
    index_now("careers", [posting_key(posting.pk)])
    response = request.getfixturevalue(persona).get(reverse("careers:recommended"))
    assert response.status_code == status
    if status == 200:
        assert [f.posting for f in response.context["fits"]] == [posting]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 200),
        ("employer_client", 200),
        ("cn_rep_client", 200),
        ("broker_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_my_pages_need_login_and_show_only_own(
    request: pytest.FixtureRequest, persona: str, status: int, posting: Posting, student: User
) -> None:
    from qiao.careers.models import Application

    Application.objects.create(posting=posting, candidate=student)
    client = request.getfixturevalue(persona)
    response = client.get(reverse("careers:my-applications"))
    assert response.status_code == status
    if status == 200:
        expected = 1 if persona == "student_client" else 0
        assert len(response.context["applications"]) == expected
    assert client.get(reverse("careers:my-data")).status_code == status
