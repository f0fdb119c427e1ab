"""The notification centre: only the recipient sees or changes their notifications; the list
is newest first and paginated; the header shows the unread count in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from qiao.accounts.models import User
from qiao.core.testing.factories import UserFactory
from qiao.notifications.models import Notification
from qiao.notifications.views import PAGE_SIZE

PERSONAS = ("secretariat", "broker", "cn_rep", "ru_rep", "outsider", "student")


def _notify(user: User, n: int = 1) -> list[Notification]:
    return [
        Notification.objects.create(
            recipient=user, subject=f"{user.username} #{i}", body="…", url="/deals/"
        )
        for i in range(n)
    ]


@pytest.fixture
def student(db: None) -> User:
    return UserFactory.create(student=True)


@pytest.fixture
def student_client(student: User) -> Client:
    client = Client()
    client.force_login(student)
    return client


def test_anonymous_is_sent_to_log_in(anon_client: Client, ru_rep: User) -> None:
    (mine,) = _notify(ru_rep)
    login = reverse("accounts:login")
    for method, url in (
        ("get", reverse("notifications:list")),
        ("post", reverse("notifications:open", args=[mine.pk])),
        ("post", reverse("notifications:read-all")),
    ):
        response = getattr(anon_client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    mine.refresh_from_db()
    assert mine.read_at is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_sees_and_changes_only_their_own(
    persona: str, request: pytest.FixtureRequest, ru_rep: User, cn_rep: User
) -> None:
    user: User = request.getfixturevalue(persona)
    client: Client = request.getfixturevalue(f"{persona}_client")
    other = cn_rep if user == ru_rep else ru_rep
    (theirs,) = _notify(other)
    (mine,) = _notify(user)

    page = client.get(reverse("notifications:list")).content.decode()
    assert mine.subject in page
    assert theirs.subject not in page

    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read-all"))
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None
    assert mine.read_at is not None


def test_open_marks_read_and_goes_to_the_thing(ru_rep: User, ru_rep_client: Client) -> None:
    (mine,) = _notify(ru_rep)
    response = ru_rep_client.post(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/deals/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert ru_rep_client.get(reverse("notifications:open", args=[mine.pk])).status_code == 405


def test_list_is_newest_first_and_paginated(ru_rep: User, ru_rep_client: Client) -> None:
    notes = _notify(ru_rep, PAGE_SIZE + 1)
    page = ru_rep_client.get(reverse("notifications:list")).content.decode()
    assert page.index(notes[-1].subject + "<") < page.index(notes[1].subject + "<")
    assert notes[0].subject + "<" not in page
    second = ru_rep_client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert notes[0].subject + "<" in second


def test_header_counts_unread_in_the_readers_language(ru_rep: User, ru_rep_client: Client) -> None:
    _notify(ru_rep, 3)
    Notification.objects.filter(pk=_notify(ru_rep)[0].pk).update(read_at=timezone.now())
    html = ru_rep_client.get(reverse("notifications:list")).content.decode()
    assert '<span class="count" title="3 непрочитанных уведомления">3</span>' in html


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("url", ["/", reverse_lazy("notifications:list")])
def test_list_and_badge_queries_do_not_grow(ru_rep: User, ru_rep_client: Client, url: str) -> None:
    _notify(ru_rep)
    ru_rep_client.get(url)  # the first request of a session does more
    few = _queries(ru_rep_client, url)
    _notify(ru_rep, PAGE_SIZE * 2)
    many = _queries(ru_rep_client, url)
    assert len(many) == len(few)
    badge = [sql for sql in many if "notifications_notification" in sql]
    # The header's count, plus on the list page the paginator's count and the page itself.
    assert len(badge) == (1 if url == "/" else 3)
