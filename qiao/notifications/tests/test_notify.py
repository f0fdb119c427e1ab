"""notify(): the notification is written in the action's transaction, the e-mail leaves only
after commit, and what the e-mail says is what the app shows, in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from qiao.accounts.models import User
from qiao.deals import services as deals
from qiao.exchange.models import Profile
from qiao.notifications.models import Notification
from qiao.notifications.services import notify


def test_notification_now_email_after_commit(
    ru_rep: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            recipient=ru_rep,
            subject="Тема",
            body="Текст\n",
            url="https://qiao.example/deals/7/?tab=notes",
        )
        assert Notification.objects.get(recipient=ru_rep).url == "/deals/7/?tab=notes"
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [([ru_rep.email], "Тема", "Текст\n")]


def test_a_rolled_back_action_leaves_neither(ru_rep: User) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=ru_rep, subject="s", body="b")
        raise RuntimeError
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_without_address_in_the_app_only_and_inactive_not_at_all(
    ru_rep: User, cn_rep: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=ru_rep.pk).update(email="")
    ru_rep.refresh_from_db()
    cn_rep.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=ru_rep, subject="s", body="b")
        notify(recipient=cn_rep, subject="s", body="b")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [ru_rep.pk]
    assert mail.outbox == []


def test_every_email_of_an_action_is_in_the_app_in_the_readers_language(
    cn_rep: User,
    ru_rep: User,
    broker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from qiao.core.testing.factories import ProfileFactory

    offer: Profile = ProfileFactory.create(
        organization=cn_rep.organization, language="zh", published=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        interest = deals.interest_express(actor=ru_rep, profile=offer, message="Интересно.")
        deals.interest_decide(actor=broker, interest=interest, approve=True)

    assert mail.outbox
    notifications = Notification.objects.select_related("recipient")
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        (n.recipient.email, n.subject) for n in notifications
    )
    to_cn = notifications.filter(recipient=cn_rep).order_by("created_at", "id")
    assert all("您好" in n.body for n in to_cn)  # cn_rep reads Chinese
    assert to_cn.last().url == f"/deals/{interest.deal.pk}/"  # type: ignore[union-attr]
