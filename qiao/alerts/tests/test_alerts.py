from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from qiao.accounts.models import UILanguage, User
from qiao.alerts import services
from qiao.alerts.models import SavedSearch
from qiao.alerts.tasks import send_alerts
from qiao.core.errors import NotAllowed
from qiao.core.testing.factories import ProfileFactory
from qiao.exchange.models import Profile, ProfileKind
from qiao.organizations.models import Organization
from qiao.search.testing import index_now

_QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _save(user: User, **kwargs: Any) -> SavedSearch:
    data = services.SearchData(name=kwargs.pop("name", "Laser cladding"), **kwargs)
    search = services.saved_search_create(actor=user, data=data)
    # Start the window a day ago so profiles "published an hour ago" are new.
    SavedSearch.objects.filter(pk=search.pk).update(
        checked_until=timezone.now() - timedelta(days=2)
    )
    search.refresh_from_db()
    return search


def _publish(org: Organization, language: str, hours_ago: float = 1, **kwargs: Any) -> Profile:
    profile = ProfileFactory.create(organization=org, language=language, published=True, **kwargs)
    Profile.objects.filter(pk=profile.pk).update(
        published_at=timezone.now() - timedelta(hours=hours_ago)
    )
    profile.refresh_from_db()
    # Indexing announces the profile, which queues its immediate alerts (test_immediate.py);
    # these tests are about the scheduled runs, so the queued task is left unrun here.
    with override_settings(TASKS=_QUEUE_ONLY):
        index_now("profiles", [profile.pk])
    return profile


def test_cross_lingual_alert_in_the_recipients_language(ru_rep: User, cn_org: Organization) -> None:
    offer = _publish(cn_org, "zh")
    _save(ru_rep, query="восстановление валов лазерной наплавкой", frequency="daily")
    assert services.alerts_send(frequency="daily") == 1
    message = mail.outbox[0]
    assert message.to == [ru_rep.email]
    assert message.subject.startswith("Новые профили")
    assert f"/profiles/{offer.pk}/" in message.body
    assert message.body.startswith("Здравствуйте")
    assert "/alerts/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert offer.title in str(html)
    # The window moved on: nothing is sent twice.
    assert services.alerts_send(frequency="daily") == 0


def test_filters_without_query_and_nothing_new_sends_nothing(
    outsider: User, cn_org: Organization, ru_org: Organization
) -> None:
    _publish(ru_org, "ru", kind=ProfileKind.REQUEST)
    search = _save(outsider, kind="offer", frequency="immediate")
    assert services.alerts_send(frequency="immediate") == 0
    search.refresh_from_db()
    assert search.last_sent_at is None
    SavedSearch.objects.filter(pk=search.pk).update(
        checked_until=timezone.now() - timedelta(days=2)
    )
    offer = _publish(cn_org, "zh")
    assert services.alerts_send(frequency="immediate") == 1
    assert f"/profiles/{offer.pk}/" in mail.outbox[0].body


def test_frequencies_wait_their_period(outsider: User, cn_org: Organization) -> None:
    search = _save(outsider, frequency="weekly")
    _publish(cn_org, "zh")
    assert services.alerts_send(frequency="daily") == 0  # not this search's frequency
    assert services.alerts_send(frequency="weekly") == 0  # its last window ended 2 days ago
    SavedSearch.objects.filter(pk=search.pk).update(
        checked_until=timezone.now() - timedelta(days=8)
    )
    assert services.alerts_send(frequency="weekly") == 1


def test_very_recent_profiles_wait_for_the_next_run(outsider: User, cn_org: Organization) -> None:
    _save(outsider, frequency="immediate")
    _publish(cn_org, "zh", hours_ago=0)
    assert services.alerts_send(frequency="immediate") == 0


def test_bad_saved_search_writes_nothing(outsider: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.saved_search_create(
            actor=outsider,
            data=services.SearchData(name=" ", kind="x", sector="nope", frequency="hourly"),
        )
    assert set(error.value.message_dict) == {"name", "kind", "sector", "frequency"}
    assert not SavedSearch.objects.exists()


def test_only_the_owner_changes_a_saved_search(outsider: User, ru_rep: User) -> None:
    search = _save(ru_rep)
    with pytest.raises(NotAllowed):
        services.saved_search_set_alerts(
            actor=outsider, search=search, frequency="weekly", active=False
        )
    with pytest.raises(NotAllowed):
        services.saved_search_delete(actor=outsider, search=search)
    assert SavedSearch.objects.get().active


# --- e-mail in three languages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        (UILanguage.ZH_HANS, "您保存的搜索", "您好"),
        (UILanguage.RU, "Новые профили", "Здравствуйте"),
        (UILanguage.EN, "New profiles", "Hello"),
    ],
)
def test_alert_email_in_each_language(
    outsider: User, cn_org: Organization, language: str, subject: str, greeting: str
) -> None:
    outsider.preferred_language = language
    outsider.save()
    profile = ProfileFactory.create(organization=cn_org, language="zh", published=True)
    search = _save(outsider)
    text_subject, text, html = services.render_alert(search, [profile])
    assert subject in text_subject
    assert greeting in text.splitlines()[0]
    assert profile.title in text and profile.title in html
    assert f'lang="{language}"' in html
    assert "&lt;" not in text


# --- views and the unsubscribe link ----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 200),
        ("cn_rep_client", 200),
        ("broker_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_pages_per_role(request: pytest.FixtureRequest, persona: str, status: int) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("alerts:list")).status_code == status
    assert client.get(reverse("alerts:create")).status_code == status


def test_save_from_the_search_page(outsider_client: Client, outsider: User) -> None:
    page = outsider_client.get(reverse("exchange:search"), {"q": "laser", "kind": "offer"})
    link = re.search(r'id="save-search" href="([^"]+)"', page.content.decode())
    assert link is not None
    form = outsider_client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert 'value="laser"' in form
    response = outsider_client.post(
        reverse("alerts:create"),
        {"name": "laser", "query": "laser", "kind": "offer", "frequency": "weekly"},
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.user, search.kind, search.frequency) == (outsider, "offer", "weekly")


def test_form_rejects_bad_input_in_the_users_language(ru_rep_client: Client) -> None:
    response = ru_rep_client.post(reverse("alerts:create"), {"name": "", "frequency": "hourly"})
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_other_users_cannot_touch_a_saved_search(
    ru_rep: User, outsider_client: Client, anon_client: Client
) -> None:
    search = _save(ru_rep)
    for client, status in ((outsider_client, 404), (anon_client, 302)):
        assert client.post(reverse("alerts:delete", args=[search.pk])).status_code == status
        url = reverse("alerts:settings", args=[search.pk])
        assert client.post(url, {"frequency": "weekly"}).status_code == status
    search.refresh_from_db()
    assert search.active and search.frequency == "daily"
    assert (
        ru_rep.pk
        and search.name not in outsider_client.get(reverse("alerts:list")).content.decode()
    )


def test_owner_changes_frequency_and_deletes(ru_rep: User, ru_rep_client: Client) -> None:
    search = _save(ru_rep)
    ru_rep_client.post(reverse("alerts:settings", args=[search.pk]), {"frequency": "weekly"})
    search.refresh_from_db()
    assert (search.frequency, search.active) == ("weekly", False)
    ru_rep_client.post(reverse("alerts:delete", args=[search.pk]))
    assert not SavedSearch.objects.exists()


def test_unsubscribe_link_works_without_login(
    ru_rep: User, anon_client: Client, cn_org: Organization
) -> None:
    _save(ru_rep, query="", frequency="daily")
    _publish(cn_org, "zh")
    services.alerts_send(frequency="daily")
    url = re.search(r"https?://\S+/alerts/unsubscribe/\S+/", str(mail.outbox[0].body))
    assert url is not None
    path = url.group(0).split("://", 1)[1].split("/", 1)[1]
    page = anon_client.get("/" + path)
    assert page.status_code == 200
    assert SavedSearch.objects.get().active  # a GET (e.g. a mail scanner) changes nothing
    anon_client.post("/" + path)
    assert not SavedSearch.objects.get().active
    assert 'id="unsubscribed"' in anon_client.get("/" + path).content.decode()


def test_forged_unsubscribe_link_is_refused(ru_rep: User, anon_client: Client) -> None:
    search = _save(ru_rep)
    token = services.unsubscribe_token(search)
    response = anon_client.post(reverse("alerts:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert SavedSearch.objects.get().active


def test_command_and_task(outsider: User, cn_org: Organization) -> None:
    _save(outsider, frequency="daily")
    _publish(cn_org, "zh")
    out = StringIO()
    call_command("send_alerts", "--frequency", "daily", stdout=out)
    assert "1 alert(s) sent" in out.getvalue()
    SavedSearch.objects.update(checked_until=timezone.now() - timedelta(days=3))
    # A profile is sent once per search however the window moves; only the new one goes out.
    first = Profile.objects.get()
    second = _publish(cn_org, "zh")
    assert send_alerts.enqueue("daily").return_value == 1
    assert f"/profiles/{second.pk}/" in mail.outbox[-1].body
    assert f"/profiles/{first.pk}/" not in mail.outbox[-1].body


def test_link_signed_with_the_published_default_key_is_refused(
    ru_rep: User, anon_client: Client
) -> None:
    """Issue 15, item 6: an unsubscribe link forged anonymously with the key that used to be
    the default (in the source for anyone to read) must not switch off a saved search."""
    search = _save(ru_rep)
    forged = signing.dumps(
        search.pk, key="insecure-development-key-change-me", salt=services.UNSUBSCRIBE_SALT
    )

    response = anon_client.post(reverse("alerts:unsubscribe", args=[forged]))

    assert response.status_code == 404
    assert SavedSearch.objects.get().active
