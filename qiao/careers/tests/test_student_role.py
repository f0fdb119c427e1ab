"""The student role decides who is a candidate: every persona against the views and API
endpoints that only students and graduates use. A signed-in user without an organisation who
is not a student (e.g. a representative whose organisation is not yet set) is no candidate."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from qiao.accounts.models import User
from qiao.careers.models import Application, Posting
from qiao.careers.tests.factories import StudentFactory
from qiao.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

NOT_STUDENTS = ["secretariat", "broker", "cn_rep", "employer", "outsider", "loner"]


@pytest.fixture
def loner(db: None) -> User:
    """A representative account with no organisation yet: before the role it passed as a student."""
    return UserFactory.create(username="loner", organization=None)


@pytest.fixture
def new_student(db: None) -> User:
    return StudentFactory.create(username="new_student")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _persona(request: pytest.FixtureRequest, name: str) -> User:
    user: User = request.getfixturevalue(name)
    return user


def test_student_may_use_every_candidate_page(student_client: Client, posting: Posting) -> None:
    assert student_client.get(reverse("careers:my-profile")).status_code == 200
    assert student_client.get(reverse("careers:apply", args=[posting.pk])).status_code == 200
    assert student_client.get(reverse("careers:recommended")).status_code == 200
    detail = student_client.get(reverse("careers:posting", args=[posting.pk]))
    assert detail.context["can_apply"] is True
    assert student_client.get(reverse("careers:my-data")).context["can_delete"] is True


def test_new_student_is_asked_for_a_profile_first(new_student: User, posting: Posting) -> None:
    client = _client(new_student)
    assert client.get(reverse("careers:my-profile")).status_code == 200
    response = client.get(reverse("careers:apply", args=[posting.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("careers:my-profile")
    response = client.get(reverse("careers:recommended"))
    assert response.status_code == 302 and response["Location"] == reverse("careers:my-profile")


@pytest.mark.parametrize("name", NOT_STUDENTS)
def test_other_roles_are_no_candidates(
    request: pytest.FixtureRequest, name: str, posting: Posting
) -> None:
    user = _persona(request, name)
    client = _client(user)
    assert client.get(reverse("careers:my-profile")).status_code == 403
    assert client.post(reverse("careers:my-profile"), {}).status_code == 403
    assert client.get(reverse("careers:apply", args=[posting.pk])).status_code == 403
    response = client.post(
        reverse("careers:apply", args=[posting.pk]),
        {"cover_letter": "Я хочу пройти стажировку.", "cover_letter_language": "ru"},
    )
    assert response.status_code == 403
    assert client.get(reverse("careers:recommended")).status_code == 403
    assert client.get(reverse("careers:posting", args=[posting.pk])).context["can_apply"] is False
    assert client.get(reverse("careers:my-data")).context["can_delete"] is False
    response = client.post(reverse("careers:delete-account"), {"confirm": "on"})
    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
    assert not Application.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_and_offered_sign_up(
    anon_client: Client, posting: Posting
) -> None:
    for name in ("careers:my-profile", "careers:recommended"):
        response = anon_client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = anon_client.get(reverse("careers:apply", args=[posting.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = anon_client.get(reverse("careers:posting", args=[posting.pk])).content.decode()
    assert reverse("accounts:signup") in page


def _api(user: User) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_apply_only_for_students(
    request: pytest.FixtureRequest, student: User, posting: Posting
) -> None:
    payload = {"posting": posting.pk, "cover_letter": "", "cover_letter_language": ""}
    for name in NOT_STUDENTS:
        response = _api(_persona(request, name)).post(
            reverse("api:careers-applications"), payload, format="json"
        )
        assert response.status_code == 403, name
    assert not Application.objects.exists()
    response = _api(student).post(reverse("api:careers-applications"), payload, format="json")
    assert response.status_code == 201
    assert Application.objects.get().candidate == student
