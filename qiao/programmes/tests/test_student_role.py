"""Only students and graduates apply to programmes: every persona against the programme page
(the form is shown or not) and the application itself."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.testing.factories import UserFactory
from qiao.programmes.models import Programme, StudentApplication

pytestmark = pytest.mark.django_db

APPLICATION = {
    "motivation": "Хочу работать сварщиком в совместной компании.",
    "motivation_language": "ru",
    "hsk_level": "3",
}


@pytest.fixture
def loner_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory.create(username="loner", organization=None))
    return client


def test_student_sees_the_form_and_applies(
    student_client: Client, student: User, programme: Programme
) -> None:
    url = reverse("programmes:detail", args=[programme.pk])
    page = student_client.get(url)
    assert page.context["can_apply"] is True
    assert 'name="motivation"' in page.content.decode()
    response = student_client.post(url, APPLICATION)
    assert response.status_code == 302 and response["Location"] == reverse("programmes:mine")
    assert StudentApplication.objects.get().student == student


@pytest.mark.parametrize(
    "persona",
    [
        "secretariat_client",
        "broker_client",
        "cn_rep_client",
        "ru_rep_client",
        "outsider_client",
        "loner_client",
    ],
)
def test_other_roles_may_not_apply(
    request: pytest.FixtureRequest, persona: str, programme: Programme
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = reverse("programmes:detail", args=[programme.pk])
    page = client.get(url)
    assert page.context["can_apply"] is False
    assert 'name="motivation"' not in page.content.decode()
    assert 'id="students-only"' in page.content.decode()
    assert client.post(url, APPLICATION).status_code == 403
    assert not StudentApplication.objects.exists()


def test_anonymous_visitor_is_offered_log_in_and_sign_up(
    anon_client: Client, programme: Programme
) -> None:
    url = reverse("programmes:detail", args=[programme.pk])
    page = anon_client.get(url).content.decode()
    assert reverse("accounts:signup") in page and reverse("accounts:login") in page
    response = anon_client.post(url, APPLICATION)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not StudentApplication.objects.exists()
