"""The deal history shows checklist steps, agreements and dates in the reader's language,
whatever language the person who made the change used (codes are stored, not labels)."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.deals import services
from qiao.deals.models import AgreementType, ChecklistItem, Deal, DealEvent

DEADLINE = datetime.date(2027, 12, 6)
SIGNED = datetime.date(2026, 3, 9)


@pytest.fixture
def history(deal: Deal, broker: User, checklist: list[ChecklistItem]) -> Deal:
    services.deal_set_step(actor=broker, deal=deal, item=checklist[0], done=True)
    services.deal_set_deadline(actor=broker, deal=deal, deadline=DEADLINE)
    services.deal_set_agreement(
        actor=broker,
        deal=deal,
        agreement_type=AgreementType.LICENCE,
        value=Decimal("1250000"),
        currency="CNY",
        signed_on=SIGNED,
    )
    return deal


def _rows(client: Client, deal: Deal, language: str) -> str:
    client.cookies["django_language"] = language
    html = client.get(reverse("deals:deal", args=[deal.pk])).content.decode()
    return html[html.index('id="history"') :] if 'id="history"' in html else html


@pytest.mark.parametrize(
    ("language", "step", "agreement", "deadline"),
    [
        (
            "zh-hans",
            "<td>确认双方联系人</td>",
            "<td>许可 · 1250000.00 CNY · 签署于 2026年3月9日</td>",
            "<td>2027年12月6日</td>",
        ),
        (
            "ru",
            "<td>Подтвердить контакты сторон</td>",
            "<td>Лицензия · 1\xa0250\xa0000,00 CNY · подписано 09.03.2026</td>",
            "<td>06.12.2027</td>",
        ),
        (
            "en",
            "<td>Confirm both contacts</td>",
            "<td>Licence · 1,250,000.00 CNY · signed on 9 Mar 2026</td>",
            "<td>6 Dec 2027</td>",
        ),
    ],
)
def test_history_in_the_readers_language(
    history: Deal, broker_client: Client, language: str, step: str, agreement: str, deadline: str
) -> None:
    html = _rows(broker_client, history, language)
    assert step in html
    assert agreement in html
    assert deadline in html
    assert "licence" not in html
    assert DEADLINE.isoformat() not in html


def test_step_events_recorded_before_the_link_are_linked_by_their_english_label(
    deal: Deal, checklist: list[ChecklistItem], ru_rep_client: Client
) -> None:
    DealEvent.objects.create(deal=deal, kind="step", new_value=checklist[1].label_en)
    migration = importlib.import_module("qiao.deals.migrations.0002_dealevent_step")
    migration.link_steps(apps, None)
    assert DealEvent.objects.get(deal=deal, kind="step").step == checklist[1]
    assert "<td>Отправить описание платформы</td>" in _rows(ru_rep_client, deal, "ru")
