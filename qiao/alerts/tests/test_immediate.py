""" "Immediate" saved-search alerts go out when a profile is published: publication queues the
indexing task, which, once the index holds the profile, queues the alert task. Each profile
reaches each search once, whichever path sends it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from qiao.accounts.models import UILanguage, User
from qiao.alerts import services
from qiao.alerts.models import AlertDelivery, SavedSearch
from qiao.core.testing.factories import ProfileFactory, UserFactory
from qiao.exchange import services as exchange_services
from qiao.exchange.models import Profile, ProfileStatus
from qiao.organizations.models import Organization
from qiao.search.selectors import search_ids

pytestmark = pytest.mark.django_db

# A Chinese offer on laser cladding of shafts (the factory's Chinese text), searched for in
# each recipient's language.
QUERIES = {
    UILanguage.RU: "восстановление валов лазерной наплавкой",
    UILanguage.EN: "laser cladding repair of shafts",
    UILanguage.ZH_HANS: "激光熔覆修复轴类零件",
}
SUBJECTS = {
    UILanguage.RU: "Новые профили",
    UILanguage.EN: "New profiles for your saved search",
    UILanguage.ZH_HANS: "有新成果",
}


def _save(user: User, **kwargs: Any) -> SavedSearch:
    data = services.SearchData(name=kwargs.pop("name", "Лазерная наплавка"), **kwargs)
    return services.saved_search_create(actor=user, data=data)


@pytest.fixture
def submitted(cn_org: Organization) -> Profile:
    profile = ProfileFactory.create(organization=cn_org, language="zh")
    Profile.objects.filter(pk=profile.pk).update(
        status=ProfileStatus.SUBMITTED, submitted_at=timezone.now()
    )
    profile.refresh_from_db()
    return profile


def _publish(broker: User, profile: Profile, capture: Any) -> None:
    with capture(execute=True):
        exchange_services.profile_publish(actor=broker, profile=profile)


def test_publication_alerts_immediate_searches_in_each_recipients_language(
    broker: User,
    submitted: Profile,
    other_org: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    recipients = {
        language: UserFactory.create(organization=other_org, preferred_language=language)
        for language in QUERIES
    }
    for language, user in recipients.items():
        _save(user, query=QUERIES[language], frequency="immediate")
    daily = UserFactory.create(organization=other_org)
    _save(daily, query=QUERIES[UILanguage.EN], frequency="daily")

    _publish(broker, submitted, django_capture_on_commit_callbacks)

    assert str(submitted.pk) in search_ids(
        collection="profiles"
    )  # the alert went out after indexing
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == sorted(u.email for u in recipients.values())
    for language, user in recipients.items():
        message = by_recipient[user.email]
        assert SUBJECTS[language] in message.subject
        assert f"/profiles/{submitted.pk}/" in message.body
        assert "/alerts/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert AlertDelivery.objects.count() == 3
    # The scheduled catch-up run does not send them again.
    SavedSearch.objects.update(checked_until=timezone.now() - timedelta(days=1))
    assert services.alerts_send(frequency="immediate", now=timezone.now() + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 3


def test_searches_that_do_not_find_it_or_are_off_send_nothing(
    broker: User,
    submitted: Profile,
    ru_rep: User,
    outsider: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _save(ru_rep, query=QUERIES[UILanguage.RU], frequency="immediate", kind="request")
    off = _save(outsider, query=QUERIES[UILanguage.EN], frequency="immediate")
    services.saved_search_set_alerts(
        actor=outsider, search=off, frequency="immediate", active=False
    )
    _publish(broker, submitted, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not AlertDelivery.objects.exists()


def test_an_edit_of_an_old_profile_is_no_news(
    cn_rep: User, cn_org: Organization, outsider: User
) -> None:
    profile = ProfileFactory.create(organization=cn_org, language="zh", published=True)
    Profile.objects.filter(pk=profile.pk).update(published_at=timezone.now() - timedelta(days=30))
    _save(outsider, query=QUERIES[UILanguage.EN], frequency="immediate")
    assert services.alerts_send_for_profile(profile_id=profile.pk) == 0
    assert mail.outbox == []


def test_publication_queues_indexing_then_the_alert_task(
    settings: Any,
    broker: User,
    submitted: Profile,
    outsider: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django_tasks import default_task_backend

    from qiao.search.tasks import process_pending

    _save(outsider, query=QUERIES[UILanguage.EN], frequency="immediate")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _publish(broker, submitted, django_capture_on_commit_callbacks)
    queued = default_task_backend.results  # type: ignore[attr-defined]
    assert [r.task.name for r in queued] == ["process_pending"]
    assert mail.outbox == []
    process_pending.call()  # what the worker does with the queued task
    assert [r.task.name for r in queued] == ["process_pending", "send_immediate_alerts"]
    assert queued[-1].args == [submitted.pk]
