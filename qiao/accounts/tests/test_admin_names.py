"""The secretariat cannot create an account without the person's name (nobody is shown by a
login), and every user prints as their name."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User

PASSWORD = "a-long-Passphrase-2026"


def _add(client: Client, **names: str) -> int:
    data = {
        "username": "new.rep",
        "email": "new.rep@example.org",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **names,
    }
    return client.post(reverse("admin:accounts_user_add"), data).status_code


def test_admin_needs_a_name_to_create_an_account(secretariat: User) -> None:
    secretariat.is_superuser = True
    secretariat.save()
    client = Client()
    client.force_login(secretariat)

    assert _add(client) == 200  # the form again, with errors
    assert not User.objects.filter(username="new.rep").exists()

    assert _add(client, first_name="Ирина", last_name="Соколова") == 302
    user = User.objects.get(username="new.rep")
    assert str(user) == "Ирина Соколова"


def test_chinese_name_prints_family_name_first(db: None) -> None:
    assert str(User(username="rep.harbin", first_name="明", last_name="张")) == "张明"
