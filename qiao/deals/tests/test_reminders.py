from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from qiao.accounts.models import UILanguage, User
from qiao.deals import services
from qiao.deals.models import Deal, DealEvent
from qiao.deals.tasks import send_deal_reminders


@pytest.fixture
def due_deal(deal: Deal, broker: User) -> Deal:
    services.deal_set_deadline(
        actor=broker, deal=deal, deadline=timezone.localdate() + timedelta(days=2)
    )
    mail.outbox.clear()
    return deal


def test_command_sends_one_reminder_per_deadline(
    due_deal: Deal, broker: User, django_capture_on_commit_callbacks: Any
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave after commit
        call_command("send_deal_reminders", stdout=out)
    assert "1 reminder(s) sent" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[broker.email]]
    assert f"/deals/{due_deal.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_deal_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1  # not again for the same deadline
    assert DealEvent.objects.filter(deal=due_deal, kind="reminder").count() == 1


def test_new_deadline_gets_a_new_reminder(due_deal: Deal, broker: User) -> None:
    services.deals_send_reminders()
    services.deal_set_deadline(
        actor=broker, deal=due_deal, deadline=timezone.localdate() + timedelta(days=1)
    )
    assert services.deals_send_reminders() == 1


def test_far_deadlines_and_closed_deals_get_none(deal: Deal, broker: User) -> None:
    services.deal_set_deadline(
        actor=broker, deal=deal, deadline=timezone.localdate() + timedelta(days=30)
    )
    assert services.deals_send_reminders() == 0
    services.deal_set_deadline(actor=broker, deal=deal, deadline=timezone.localdate())
    services.deal_move(actor=broker, deal=deal, to_stage="closed_lost")
    assert services.deals_send_reminders() == 0


def test_overdue_reminder_in_the_brokers_language(
    due_deal: Deal, broker: User, django_capture_on_commit_callbacks: Any
) -> None:
    broker.preferred_language = UILanguage.RU
    broker.save()
    Deal.objects.filter(pk=due_deal.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.deals_send_reminders()
    assert mail.outbox[0].subject.startswith("Срок истёк")


def test_the_task_runs_the_same_service(
    due_deal: Deal, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = send_deal_reminders.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1
