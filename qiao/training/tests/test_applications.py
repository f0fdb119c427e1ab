"""The application flow: apply → accepted / waitlisted / rejected, capacity, withdrawal,
the decision e-mailed in the applicant's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import UILanguage, User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import UserFactory
from qiao.training import services
from qiao.training.models import ApplicationStatus, Cohort, Enrolment

pytestmark = pytest.mark.django_db


def test_apply_records_motivation_and_language(outsider: User, cohort: Cohort) -> None:
    enrolment = services.enrolment_apply(
        actor=outsider, cohort=cohort, motivation="  Я брокер  ", motivation_language="ru"
    )
    assert (enrolment.status, enrolment.motivation, enrolment.motivation_language) == (
        ApplicationStatus.APPLIED,
        "Я брокер",
        "ru",
    )


def test_apply_twice_is_refused(applicant: User, cohort: Cohort) -> None:
    with pytest.raises(ServiceError):
        services.enrolment_apply(
            actor=applicant, cohort=cohort, motivation="again", motivation_language="en"
        )
    assert Enrolment.objects.filter(user=applicant).count() == 1


@pytest.mark.parametrize(("motivation", "language"), [("   ", "en"), ("ok", "de")])
def test_bad_application_input_is_refused(
    outsider: User, cohort: Cohort, motivation: str, language: str
) -> None:
    with pytest.raises(ServiceError):
        services.enrolment_apply(
            actor=outsider, cohort=cohort, motivation=motivation, motivation_language=language
        )
    assert not Enrolment.objects.exists()


def test_empty_application_form_shows_a_translated_error(
    cohort: Cohort, ru_rep_client: Client
) -> None:
    response = ru_rep_client.post(
        reverse("training:apply", args=[cohort.pk]),
        {"motivation": "", "motivation_language": "ru"},
        follow=True,
    )
    assert "Обязательное поле." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_lecturer_cannot_apply(lecturer: User, cohort: Cohort) -> None:
    with pytest.raises(NotAllowed):
        services.enrolment_apply(
            actor=lecturer, cohort=cohort, motivation="x", motivation_language="en"
        )


def test_accept_e_mails_the_applicant_in_their_language(
    secretariat: User,
    cohort: Cohort,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    russian = UserFactory.create(preferred_language=UILanguage.RU)
    enrolment = services.enrolment_apply(
        actor=russian, cohort=cohort, motivation="Хочу", motivation_language="ru"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_decide(
            actor=secretariat, enrolment=enrolment, status=ApplicationStatus.ACCEPTED
        )
    enrolment.refresh_from_db()
    assert enrolment.status == ApplicationStatus.ACCEPTED
    assert enrolment.decided_by == secretariat
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [russian.email]
    assert "Первый поток" in mail.outbox[0].subject
    assert f"/training/cohorts/{cohort.pk}/" in mail.outbox[0].body


def test_full_cohort_refuses_acceptance_and_waitlists_instead(
    secretariat: User, cohort: Cohort, trainee: User
) -> None:
    # Capacity 2: the trainee holds one place, one more fits.
    first, second = (
        services.enrolment_apply(
            actor=UserFactory.create(), cohort=cohort, motivation="m", motivation_language="en"
        )
        for _ in range(2)
    )
    services.enrolment_decide(actor=secretariat, enrolment=first, status="accepted")
    with pytest.raises(ServiceError, match="full"):
        services.enrolment_decide(actor=secretariat, enrolment=second, status="accepted")
    services.enrolment_decide(actor=secretariat, enrolment=second, status="waitlisted")
    second.refresh_from_db()
    assert second.status == ApplicationStatus.WAITLISTED
    # A place frees up when an accepted trainee withdraws.
    services.enrolment_withdraw(actor=first.user, enrolment=first)
    services.enrolment_decide(actor=secretariat, enrolment=second, status="accepted")
    assert cohort.enrolments.filter(status=ApplicationStatus.ACCEPTED).count() == 2


def test_reject_needs_a_reason(secretariat: User, applicant: User) -> None:
    enrolment = Enrolment.objects.get(user=applicant)
    with pytest.raises(ServiceError):
        services.enrolment_decide(actor=secretariat, enrolment=enrolment, status="rejected")
    services.enrolment_decide(
        actor=secretariat, enrolment=enrolment, status="rejected", reason="No experience yet"
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.reason) == ("rejected", "No experience yet")


def test_withdrawn_application_cannot_be_decided(secretariat: User, applicant: User) -> None:
    enrolment = Enrolment.objects.get(user=applicant)
    services.enrolment_withdraw(actor=applicant, enrolment=enrolment)
    with pytest.raises(ServiceError):
        services.enrolment_decide(actor=secretariat, enrolment=enrolment, status="accepted")


def test_full_cohort_message_reaches_the_page(
    secretariat_client: Client, cohort: Cohort, trainee: User, applicant: User
) -> None:
    cohort.capacity = 1
    cohort.save()
    enrolment = Enrolment.objects.get(user=applicant)
    response = secretariat_client.post(
        reverse("training:decide", args=[enrolment.pk, "accepted"]), follow=True
    )
    assert "full" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == ApplicationStatus.APPLIED
