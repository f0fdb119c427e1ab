"""Posting dates: applications close today or later, and no later than the start date.

The rule lives in services.check_posting, which every way of writing a posting goes through
(the form view calls posting_create / posting_update; the API has no posting writes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qiao.accounts.models import User
from qiao.careers import services
from qiao.careers.models import Posting, PostingStatus
from qiao.careers.tests.factories import PostingFactory
from qiao.careers.tests.test_postings import _form
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db

PAST = "Дата окончания приёма заявок не может быть в прошлом."
AFTER_START = "Приём заявок должен закончиться не позже даты начала."


def _days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.mark.parametrize(
    ("closes_in", "start_in", "message"),
    [(-1, 60, PAST), (61, 60, AFTER_START)],
)
def test_form_refuses_bad_closing_date_with_translated_error(
    employer_client: Client,
    ru_enterprise: Organization,
    closes_in: int,
    start_in: int,
    message: str,
) -> None:
    data = _form(ru_enterprise, closes_on=_days(closes_in), start_date=_days(start_in))
    response = employer_client.post(reverse("careers:posting-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["closes_on"] == [message]
    assert not Posting.objects.exists()


@pytest.mark.parametrize(("closes_in", "start_in"), [(0, 60), (60, 60)])
def test_form_accepts_today_and_the_start_date(
    employer_client: Client, ru_enterprise: Organization, closes_in: int, start_in: int
) -> None:
    data = _form(ru_enterprise, closes_on=_days(closes_in), start_date=_days(start_in))
    response = employer_client.post(reverse("careers:posting-create"), data)
    assert response.status_code == 302
    assert Posting.objects.get().closes_on == timezone.localdate() + timedelta(days=closes_in)


def test_edit_cannot_move_the_closing_date_after_the_start(
    employer_client: Client, ru_enterprise: Organization
) -> None:
    posting = PostingFactory.create(employer=ru_enterprise, status=PostingStatus.DRAFT)
    data = _form(ru_enterprise, closes_on=_days(90), start_date=_days(60))
    response = employer_client.post(reverse("careers:posting-edit", args=[posting.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["closes_on"] == [AFTER_START]
    posting.refresh_from_db()
    assert posting.closes_on == timezone.localdate() + timedelta(days=30)


def test_service_refuses_bad_dates(employer: User, ru_enterprise: Organization) -> None:
    posting = PostingFactory.create(employer=ru_enterprise, status=PostingStatus.DRAFT)
    data = services.PostingData(
        kind=posting.kind,
        language=posting.language,
        title=posting.title,
        description=posting.description,
        country=posting.country,
        city=posting.city,
        specialty=posting.specialty,
        start_date=timezone.localdate() + timedelta(days=10),
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(ValidationError) as past:
        services.posting_create(actor=employer, employer=ru_enterprise, data=data)
    assert list(past.value.message_dict) == ["closes_on"]
    late = replace(data, closes_on=timezone.localdate() + timedelta(days=11))
    with pytest.raises(ValidationError) as after:
        services.posting_update(actor=employer, posting=posting, data=late)
    assert list(after.value.message_dict) == ["closes_on"]
