"""The 404 and 403 pages offer a way on: home, the profile search and (with script) back."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("client_name", "path", "status"),
    [
        ("anon_client", "/no-such-page/", 404),
        ("outsider_client", "/surveys/", 403),
    ],
)
def test_error_page_links_onward(
    request: pytest.FixtureRequest, db: None, client_name: str, path: str, status: int
) -> None:
    response = request.getfixturevalue(client_name).get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert f'href="{reverse("core:home")}"' in html.split("<main", 1)[1]
    assert f'href="{reverse("exchange:search")}"' in html.split("<main", 1)[1]
    assert "data-back" in html
