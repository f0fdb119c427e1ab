"""The demo's default checklists and sample deals load once, labelled, in several stages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.deals import demo
from qiao.deals.models import ChecklistItem, Deal, DealEvent, Interest
from qiao.demo import loader
from qiao.exchange import services

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def sample_world() -> User:
    loader.load_sectors()
    loader.load_organizations()
    users = loader.load_users()
    secretariat = next(u for u in users if u.role == "secretariat")
    # One outbox request for all; it is never processed here (nothing commits in the test).
    with services.deferred_indexing():
        loader.load_profiles(actor=secretariat)
    return next(u for u in users if u.role == "broker")


def test_sample_deals_span_the_pipeline(sample_world: User) -> None:
    assert demo.load_checklists() > 10
    assert demo.load_deals(broker=sample_world) == len(demo.SAMPLE_DEALS)
    assert not mail.outbox  # loading the demo e-mails nobody
    deals = Deal.objects.all()
    assert all(d.is_sample for d in deals)
    assert all(i.is_sample for i in Interest.objects.all())
    assert all(c.is_sample for c in ChecklistItem.objects.all())
    assert {d.stage for d in deals} >= {"first_contact", "nda", "negotiation", "closed_won"}
    won = deals.get(stage="closed_won")
    assert won.agreement_type == "licence" and won.currency == "CNY"
    assert (
        DealEvent.objects.filter(deal=won, kind="stage").count() == 6
    )  # introduced → … → closed won
    assert demo.interests_pending() == 1
    # Idempotent: a second load adds nothing.
    assert demo.load_checklists() == 0
    assert demo.load_deals(broker=sample_world) == 0
    assert Deal.objects.count() == deals.count()


def test_demo_broker_sees_the_board(sample_world: User) -> None:
    demo.load_checklists()
    demo.load_deals(broker=sample_world)
    client = Client()
    client.force_login(sample_world)
    html = client.get(reverse("deals:board")).content.decode()
    for deal in Deal.objects.all():
        assert reverse("deals:deal", args=[deal.pk]) in html


def test_sample_questionnaire_loads_once(db: None) -> None:
    from qiao.surveys.demo import load_questionnaire
    from qiao.surveys.models import Questionnaire

    assert load_questionnaire() == 1
    assert load_questionnaire() == 0
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.is_sample
    assert questionnaire.versions.get().questions.filter(maps_to="description").exists()
