"""Student sign-up: the public form creates a student in their language, logs them in, and
rejects bad input with a translated message while writing nothing."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import Role, User

pytestmark = pytest.mark.django_db

GOOD = {
    "first_name": "Ли",
    "last_name": "Мин",
    "email": "Li.Ming@Student.example",
    "preferred_language": "zh-hans",
    "password1": "welding-is-my-future-2026",
    "password2": "welding-is-my-future-2026",
}


def test_signup_creates_a_student_logs_in_and_switches_language(anon_client: Client) -> None:
    response = anon_client.post(reverse("accounts:signup"), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("careers:my-profile")
    user = User.objects.get()
    assert user.role == Role.STUDENT and user.is_student
    assert user.organization is None and not user.is_staff
    assert user.email == user.username == "li.ming@student.example"
    assert user.preferred_language == "zh-hans"
    assert user.check_password(GOOD["password1"])
    assert response.cookies["django_language"].value == "zh-hans"
    # Logged in: the talent profile page opens in Chinese.
    page = anon_client.get(reverse("careers:my-profile"))
    assert page.status_code == 200
    assert "我的求职档案" in page.content.decode()


def test_student_logs_in_later_with_the_email_address(anon_client: Client) -> None:
    anon_client.post(reverse("accounts:signup"), GOOD)
    anon_client.logout()
    assert anon_client.login(
        request=HttpRequest(), username="li.ming@student.example", password=GOOD["password1"]
    )


def test_signup_goes_on_to_a_safe_next_page_only(anon_client: Client) -> None:
    target = reverse("programmes:catalogue")
    response = anon_client.post(reverse("accounts:signup"), {**GOOD, "next": target})
    assert response["Location"] == target
    anon_client.logout()
    other = {**GOOD, "email": "second@student.example"}
    response = anon_client.post(
        reverse("accounts:signup"), {**other, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("careers:my-profile")


@pytest.mark.parametrize(
    ("language", "change", "field", "message"),
    [
        ("en", {"email": "not-an-address"}, "email", "Enter a valid email address."),
        ("ru", {"password2": "something-else-2026"}, "password2", "Пароли не совпадают."),
        (
            "zh-hans",
            {"password1": "12345678", "password2": "12345678"},
            "password1",
            "这个密码太常见了。",
        ),
        ("en", {"preferred_language": "fr"}, "preferred_language", "Select a valid choice."),
        ("ru", {"first_name": ""}, "first_name", "Обязательное поле."),
    ],
)
def test_bad_input_is_rejected_in_the_ui_language_and_nothing_is_written(
    anon_client: Client, language: str, change: dict[str, str], field: str, message: str
) -> None:
    anon_client.cookies["django_language"] = language
    response = anon_client.post(reverse("accounts:signup"), {**GOOD, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert not User.objects.exists()


def test_an_address_already_in_use_is_refused_in_russian(anon_client: Client, cn_rep: User) -> None:
    anon_client.cookies["django_language"] = "ru"
    before = User.objects.count()
    response = anon_client.post(reverse("accounts:signup"), {**GOOD, "email": cn_rep.email.upper()})
    assert response.status_code == 200
    assert "Учётная запись с этим адресом уже существует" in response.content.decode()
    assert User.objects.count() == before


def test_form_offers_the_request_language_and_links_from_login(anon_client: Client) -> None:
    anon_client.cookies["django_language"] = "ru"
    page = anon_client.get(reverse("accounts:signup"))
    assert page.status_code == 200
    assert page.context["form"].initial["preferred_language"] == "ru"
    login = anon_client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:signup") in login


@pytest.mark.parametrize("persona", ["student_client", "cn_rep_client", "secretariat_client"])
def test_signed_in_users_are_sent_home(request: pytest.FixtureRequest, persona: str) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


@pytest.fixture
def student(db: None) -> User:
    from qiao.core.testing.factories import UserFactory

    return UserFactory.create(username="student", student=True)


@pytest.fixture
def student_client(student: User) -> Client:
    client = Client()
    client.force_login(student)
    return client
