"""Editing a published posting: a change of substance (text, requirements, dates) by the
employer sends it back to review and out of the public list and index; once the secretariat
publishes it again the talent pool is re-matched. Other edits stay published. Every role."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.careers import selectors, services
from qiao.careers.models import PoolMatch, Posting, PostingEvent, PostingStatus, TalentProfile
from qiao.careers.tests.factories import PostingFactory
from qiao.organizations.models import Organization
from qiao.search.collections.careers import posting_key, talent_key
from qiao.search.selectors import search_ids
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db


def _data(posting: Posting, **changes: object) -> services.PostingData:
    fields = {f.name for f in dataclasses.fields(services.PostingData)}
    values = {name: getattr(posting, name) for name in fields if name != "skills"}
    values["skills"] = tuple(posting.skills)
    return services.PostingData(**{**values, **changes})


@pytest.fixture
def pool_student(student_profile: TalentProfile) -> TalentProfile:
    student_profile.in_talent_pool = True
    student_profile.save()
    index_now("careers", [talent_key(student_profile.pk)])
    return student_profile


@pytest.fixture
def strict_posting(ru_enterprise: Organization) -> Posting:
    """Published, indexed, asking for TORFL-4, which the pool student does not have."""
    posting = PostingFactory.create(
        employer=ru_enterprise, status=PostingStatus.PUBLISHED, min_russian=5
    )
    index_now("careers", [posting_key(posting.pk)])
    return posting


def _indexed(posting: Posting) -> bool:
    return posting_key(posting.pk) in search_ids(collection="careers")


def test_substance_change_goes_back_to_review_then_rematches_on_publish(
    employer: User,
    secretariat: User,
    pool_student: TalentProfile,
    strict_posting: Posting,
    django_capture_on_commit_callbacks: object,
) -> None:
    assert _indexed(strict_posting)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.posting_update(
            actor=employer,
            posting=strict_posting,
            data=_data(strict_posting, min_russian=3, requirements="Русский язык: ТРКИ-1."),
        )
    strict_posting.refresh_from_db()
    assert strict_posting.status == PostingStatus.SUBMITTED
    event = strict_posting.events.last()
    assert event is not None and (event.from_status, event.to_status) == ("published", "submitted")
    assert event.changed_fields == ["requirements", "min_russian"]
    assert not _indexed(strict_posting)  # out of search until published again
    assert strict_posting not in selectors.postings_visible_to(AnonymousUser())
    assert not PoolMatch.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.posting_publish(actor=secretariat, posting=strict_posting)
    assert _indexed(strict_posting)
    assert [m.profile for m in PoolMatch.objects.all()] == [pool_student]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Стажировка сварщика на верфи (обновлено)"},
        {"description": "Верфь приглашает студентов-сварщиков на летнюю практику в цехе."},
        {"requirements": "Опыт сварки на учебной практике."},
        {"skills": ("сварка", "чтение чертежей", "охрана труда")},
        {"start_date_shift": 10},
        {"end_date_shift": 10},
    ],
)
def test_each_kind_of_substance_sends_it_back(
    employer: User, strict_posting: Posting, change: dict[str, object]
) -> None:
    change = dict(change)
    if "start_date_shift" in change:
        change = {"start_date": strict_posting.start_date + timedelta(days=10)}
    if "end_date_shift" in change:
        assert strict_posting.end_date is not None
        change = {"end_date": strict_posting.end_date + timedelta(days=10)}
    services.posting_update(
        actor=employer, posting=strict_posting, data=_data(strict_posting, **change)
    )
    strict_posting.refresh_from_db()
    assert strict_posting.status == PostingStatus.SUBMITTED


def test_pay_places_conditions_and_closing_date_stay_published(
    employer: User, strict_posting: Posting
) -> None:
    events = PostingEvent.objects.count()
    services.posting_update(
        actor=employer,
        posting=strict_posting,
        data=_data(
            strict_posting,
            pay_monthly=55000,
            currency="RUB",
            places=5,
            housing=True,
            visa_support=True,
            closes_on=strict_posting.closes_on + timedelta(days=7),
        ),
    )
    strict_posting.refresh_from_db()
    assert strict_posting.status == PostingStatus.PUBLISHED
    assert strict_posting.places == 5 and strict_posting.pay_monthly == 55000
    assert PostingEvent.objects.count() == events
    assert _indexed(strict_posting)


def test_secretariat_edit_stays_published_and_rematches_at_once(
    secretariat: User,
    pool_student: TalentProfile,
    strict_posting: Posting,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.posting_update(
            actor=secretariat, posting=strict_posting, data=_data(strict_posting, min_russian=3)
        )
    strict_posting.refresh_from_db()
    assert strict_posting.status == PostingStatus.PUBLISHED
    assert [m.profile for m in PoolMatch.objects.all()] == [pool_student]


def test_rematch_drops_unsent_matches_that_no_longer_hold_and_keeps_sent_ones(
    employer: User,
    secretariat: User,
    pool_student: TalentProfile,
    ru_enterprise: Organization,
    django_capture_on_commit_callbacks: object,
) -> None:
    from qiao.careers.tests.factories import TalentProfileFactory

    told = TalentProfileFactory.create(language="zh", in_talent_pool=True)
    index_now("careers", [talent_key(told.pk)])
    posting = PostingFactory.create(
        employer=ru_enterprise, status=PostingStatus.SUBMITTED, min_russian=3
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.posting_publish(actor=secretariat, posting=posting)
    assert PoolMatch.objects.count() == 2
    PoolMatch.objects.filter(profile=told).update(candidate_notified_at="2026-01-01T00:00Z")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.posting_update(actor=employer, posting=posting, data=_data(posting, min_russian=6))
        services.posting_publish(actor=secretariat, posting=posting)
    assert [m.profile for m in PoolMatch.objects.all()] == [told]  # the sent one stays


FORM_ROLES = [
    ("student_client", 403, PostingStatus.PUBLISHED),
    ("cn_rep_client", 403, PostingStatus.PUBLISHED),
    ("outsider_client", 403, PostingStatus.PUBLISHED),
    ("broker_client", 403, PostingStatus.PUBLISHED),
    ("employer_client", 302, PostingStatus.SUBMITTED),
    ("secretariat_client", 302, PostingStatus.PUBLISHED),
]


def _form(posting: Posting, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "employer": posting.employer_id,
        "kind": posting.kind,
        "language": posting.language,
        "title": posting.title,
        "description": posting.description,
        "requirements": posting.requirements,
        "specialty": posting.specialty,
        "skills_text": ", ".join(posting.skills),
        "country": posting.country,
        "city": posting.city,
        "min_chinese": posting.min_chinese,
        "min_russian": posting.min_russian,
        "min_english": posting.min_english,
        "start_date": posting.start_date.isoformat(),
        "end_date": posting.end_date.isoformat() if posting.end_date else "",
        "duration_months": posting.duration_months or "",
        "places": posting.places,
        "closes_on": posting.closes_on.isoformat(),
        "then": "save",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("persona", "code", "status"), FORM_ROLES)
def test_editing_a_published_posting_by_role(
    request: pytest.FixtureRequest, strict_posting: Posting, persona: str, code: int, status: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = reverse("careers:posting-edit", args=[strict_posting.pk])
    new_title = "Стажировка сварщика на верфи, летний набор"
    response = client.post(url, _form(strict_posting, title=new_title))
    assert response.status_code == code
    strict_posting.refresh_from_db()
    assert strict_posting.status == status
    assert (strict_posting.title == new_title) is (code == 302)


def test_employer_is_warned_in_russian_before_and_after(
    employer_client: Client, strict_posting: Posting
) -> None:
    url = reverse("careers:posting-edit", args=[strict_posting.pk])
    page = employer_client.get(url).content.decode()
    assert 'id="republish-notice"' in page and "обратно на проверку" in page
    response = employer_client.post(url, _form(strict_posting, requirements="Опыт сварки."))
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("снова на проверке" in t for t in texts), texts
    detail = employer_client.get(reverse("careers:posting", args=[strict_posting.pk]))
    assert "изменено после публикации: требования" in detail.content.decode()
    # hidden from the public until published again
    assert Client().get(reverse("careers:posting", args=[strict_posting.pk])).status_code == 404
