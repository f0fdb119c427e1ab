"""The careers API: the same rules as the pages, for every role."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from qiao.accounts.models import User
from qiao.careers.models import Application, Posting, PostingStatus, TalentProfile
from qiao.careers.tests.factories import PostingFactory
from qiao.core.testing.api import api_client_for, error_detail, field_errors
from qiao.organizations.models import Organization
from qiao.search.collections.careers import posting_key, talent_key
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db


def _api(user: User) -> APIClient:
    return api_client_for(user)


@pytest.fixture
def student_api(student: User) -> APIClient:
    return _api(student)


@pytest.fixture
def employer_api(employer: User) -> APIClient:
    return _api(employer)


@pytest.fixture
def other_student_api(other_student: User) -> APIClient:
    return _api(other_student)


def test_public_list_and_search(anon_api: APIClient, posting: Posting) -> None:
    draft = PostingFactory.create(employer=posting.employer)
    index_now("careers", [posting_key(posting.pk)])
    rows = anon_api.get(reverse("api:careers-postings")).json()
    assert [r["posting"]["id"] for r in rows] == [posting.pk]
    rows = anon_api.get(reverse("api:careers-postings"), {"q": "焊接实习"}).json()
    assert rows[0]["posting"]["id"] == posting.pk and rows[0]["score"] > 0
    assert anon_api.get(reverse("api:careers-posting", args=[draft.pk])).status_code == 404
    bad = anon_api.get(reverse("api:careers-postings"), {"kind": "cruise"})
    assert bad.status_code == 400 and "kind" in field_errors(bad)


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("anon_api", 401),
        ("student_api", 403),
        ("employer_api", 200),
        ("cn_rep_api", 403),
        ("outsider_api", 403),
        ("broker_api", 403),
        ("secretariat_api", 200),
    ],
)
def test_candidates_for_posting(
    request: pytest.FixtureRequest,
    posting: Posting,
    student: User,
    student_profile: TalentProfile,
    persona: str,
    code: int,
) -> None:
    Application.objects.create(posting=posting, candidate=student)
    index_now("careers", [talent_key(student_profile.pk)])
    response = request.getfixturevalue(persona).get(
        reverse("api:careers-candidates", args=[posting.pk])
    )
    assert response.status_code == code
    if code == 200:
        fit = response.json()[0]
        assert fit["profile"]["id"] == student_profile.pk
        assert fit["meets_requirements"] is True
        assert {"wanted": "сварка", "offered": "焊接"}.items() <= fit["skills"][0].items()


def test_recommended_for_student_only(
    student_api: APIClient, employer_api: APIClient, posting: Posting
) -> None:
    index_now("careers", [posting_key(posting.pk)])
    fits = student_api.get(reverse("api:careers-recommended")).json()
    assert fits[0]["posting"]["id"] == posting.pk
    assert employer_api.get(reverse("api:careers-recommended")).status_code == 403


def test_apply_and_statuses_through_the_api(
    student_api: APIClient, employer_api: APIClient, other_student_api: APIClient, posting: Posting
) -> None:
    response = student_api.post(
        reverse("api:careers-applications"),
        {"posting": posting.pk, "cover_letter": "我希望参加实习。", "cover_letter_language": "zh"},
    )
    assert response.status_code == 201, response.json()
    application_id = response.json()["id"]
    again = student_api.post(reverse("api:careers-applications"), {"posting": posting.pk})
    assert again.status_code == 400 and error_detail(again)
    assert (
        employer_api.post(reverse("api:careers-applications"), {"posting": posting.pk}).status_code
        == 403
    )

    url = reverse("api:careers-application-status", args=[application_id])
    assert other_student_api.post(url, {"status": "withdrawn"}).status_code == 404
    assert employer_api.post(url, {"status": "viewed"}).json()["status"] == "viewed"
    refused = employer_api.post(url, {"status": "accepted"})
    assert refused.status_code == 400
    assert student_api.post(url, {"status": "withdrawn"}).json()["status"] == "withdrawn"
    assert [a["id"] for a in employer_api.get(reverse("api:careers-applications")).json()] == [
        application_id
    ]
    assert other_student_api.get(reverse("api:careers-applications")).json() == []


def test_apply_to_unpublished_posting_is_404(
    student_api: APIClient, ru_enterprise: Organization
) -> None:
    draft = PostingFactory.create(employer=ru_enterprise, status=PostingStatus.SUBMITTED)
    response = student_api.post(reverse("api:careers-applications"), {"posting": draft.pk})
    assert response.status_code == 404


def test_a_cover_letter_without_a_language_is_recorded_in_the_language_it_is_written_in(
    student_api: APIClient, posting: Posting
) -> None:
    """It was refused with "… but the language is set to ." (nothing named)."""
    response = student_api.post(
        reverse("api:careers-applications"),
        {"posting": posting.pk, "cover_letter": "Хочу пройти стажировку в вашей компании."},
    )
    assert response.status_code == 201, response.json()
    assert Application.objects.get(pk=response.json()["id"]).cover_letter_language == "ru"
