"""Password-reset e-mails link to the site's own address (QIAO_BASE_URL), never to the host
named in the request (issue 15, item 1: `Host: evil.example` got a link to evil.example)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from qiao.accounts.models import User


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8000", "https://qiao.example.org"])
def test_reset_link_ignores_the_host_header(cn_rep: User, base_url: str) -> None:
    cn_rep.email = "cn_rep@college.example"
    cn_rep.save()
    # Even where an operator allowed every host, the link comes from QIAO_BASE_URL.
    with override_settings(ALLOWED_HOSTS=["*"], BASE_URL=base_url):
        response = Client().post(
            reverse("accounts:password_reset"),
            {"email": cn_rep.email},
            HTTP_HOST="evil.example",
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert f"{base_url}/accounts/password/reset/" in message.body


def test_unknown_host_is_refused(cn_rep: User) -> None:
    response = Client().post(
        reverse("accounts:password_reset"), {"email": "x@example.org"}, HTTP_HOST="evil.example"
    )

    assert response.status_code == 400
    assert mail.outbox == []
