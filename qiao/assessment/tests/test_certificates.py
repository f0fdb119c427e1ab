"""Completion per programme rules, issuing (one or all who completed), the PDF made by a
background task and the holder told in their language, revocation with an audit trail, and
the public verification page that shows only name, programme and date."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.assessment import selectors, services
from qiao.assessment.models import (
    Certificate,
    CertificateEventKind,
    CompletionRule,
    Quiz,
    QuizAttempt,
)
from qiao.assessment.tests.conftest import pass_quiz
from qiao.core.errors import ServiceError
from qiao.training.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    Attendance,
    Cohort,
    Enrolment,
    Session,
)

CaptureOnCommit = Callable[..., AbstractContextManager[Any]]


def test_reasons_missing(
    trainee: User, cohort: Cohort, quiz: Quiz, rule: CompletionRule, past_session: Session
) -> None:
    [status] = selectors.completion_statuses(cohort=cohort)
    assert not status.complete
    assert len(status.missing) == 2  # attendance 0 % of 100 %, quiz not taken
    assert status.attendance_percent == 0
    enrolment = Enrolment.objects.get(user=trainee)
    Attendance.objects.create(session=past_session, enrolment=enrolment, present=True)
    attempt = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    services.quiz_attempt_answer(actor=trainee, attempt=attempt, answers={}, submit=True)
    [status] = selectors.completion_statuses(cohort=cohort)
    assert status.attendance_percent == 100
    assert status.quiz_scores == [0]
    assert len(status.missing) == 1
    assert "75" in status.missing[0]  # the pass mark


def test_simulations_count_when_the_rule_says_so(
    completed: Enrolment, cohort: Cohort, rule: CompletionRule, assignment: Assignment
) -> None:
    [status] = selectors.completion_statuses(cohort=cohort)
    assert status.complete  # simulations not required yet
    rule.require_simulations = True
    rule.min_simulation_score = 50
    rule.save()
    [status] = selectors.completion_statuses(cohort=cohort)
    assert not status.complete
    Attempt.objects.create(
        assignment=assignment, enrolment=completed, status=AttemptStatus.SUBMITTED, auto_score=40
    )
    [status] = selectors.completion_statuses(cohort=cohort)
    assert status.simulation_scores == [40]
    assert "40" in status.missing[0]
    Attempt.objects.filter(enrolment=completed).update(auto_score=80)
    [status] = selectors.completion_statuses(cohort=cohort)
    assert status.complete


def test_the_latest_attempt_counts_after_a_reopening(
    trainee: User, secretariat: User, cohort: Cohort, quiz: Quiz, completed: Enrolment
) -> None:
    first = QuizAttempt.objects.get(enrolment=completed)
    services.quiz_attempt_reopen(actor=secretariat, attempt=first)
    second = services.quiz_attempt_start(actor=trainee, quiz=quiz, cohort=cohort)
    services.quiz_attempt_answer(actor=trainee, attempt=second, answers={}, submit=True)
    [status] = selectors.completion_statuses(cohort=cohort)
    assert status.quiz_scores == [0]
    assert not status.complete


def test_issue_for_all_completed_renders_pdf_and_mails_the_holder(
    completed: Enrolment,
    cohort: Cohort,
    lecturer: User,
    applicant: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = services.certificate_issue(actor=lecturer, cohort=cohort)
    certificate.refresh_from_db()
    assert re.fullmatch(r"QIAO-\d{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", certificate.number)
    assert certificate.holder_name == completed.user.get_full_name()
    assert certificate.programme_zh == cohort.programme.title_zh
    assert (certificate.pdf.name or "").endswith(f"{certificate.number}.pdf")
    with certificate.pdf.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    kinds = list(certificate.events.values_list("kind", flat=True))
    assert kinds == [CertificateEventKind.ISSUED, CertificateEventKind.RENDERED]
    [message] = mail.outbox
    assert message.to == [completed.user.email]
    assert certificate.number in message.body
    assert "证书" in message.subject  # the trainee reads Chinese
    # Nobody else is waiting: issuing again is refused.
    with pytest.raises(ServiceError):
        services.certificate_issue(actor=lecturer, cohort=cohort)


def test_issuing_to_one_who_has_not_completed_is_refused_with_reasons(
    trainee: User, cohort: Cohort, quiz: Quiz, rule: CompletionRule, secretariat: User
) -> None:
    enrolment = Enrolment.objects.get(user=trainee)
    with pytest.raises(ServiceError, match="quiz"):
        services.certificate_issue(actor=secretariat, cohort=cohort, enrolment_ids=[enrolment.pk])
    assert not Certificate.objects.exists()


def test_revoke_keeps_the_reason_private_and_allows_a_new_one(
    completed: Enrolment,
    cohort: Cohort,
    secretariat: User,
    anon_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    [certificate] = services.certificate_issue(actor=secretariat, cohort=cohort)
    url = reverse("assessment:verify-number", args=[certificate.number])
    page = anon_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Valid" in body
    assert certificate.holder_name in body
    assert completed.user.email not in body
    with pytest.raises(ServiceError):
        services.certificate_revoke(actor=secretariat, certificate=certificate, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(
            actor=secretariat, certificate=certificate, reason="Attendance sheet was forged."
        )
    with pytest.raises(ServiceError):
        services.certificate_revoke(actor=secretariat, certificate=certificate, reason="again")
    body = anon_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Revoked" in body
    assert "forged" not in body
    certificate.refresh_from_db()
    event = certificate.events.get(kind=CertificateEventKind.REVOKED)
    assert (event.actor, event.note) == (secretariat, "Attendance sheet was forged.")
    assert any(certificate.number in m.subject for m in mail.outbox)
    # A revoked certificate no longer blocks a new one.
    [again] = services.certificate_issue(actor=secretariat, cohort=cohort)
    assert again.number != certificate.number


def test_verification_of_an_unknown_number(anon_client: Client, db: None) -> None:
    response = anon_client.get(reverse("assessment:verify-number", args=["QIAO-2027-XXXX-YYYY"]))
    assert response.status_code == 404
    form = anon_client.get(reverse("assessment:verify"), {"number": " qiao-2027-abcd-efgh "})
    assert form.status_code == 302
    assert form["Location"].endswith("/QIAO-2027-ABCD-EFGH/")


def test_download_renders_on_demand(
    completed: Enrolment, cohort: Cohort, secretariat: User, trainee_client: Client
) -> None:
    # Without running the background task: the download makes the PDF itself.
    [certificate] = services.certificate_issue(actor=secretariat, cohort=cohort)
    response = trainee_client.get(reverse("assessment:certificate-pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_completion_csv_and_numbers(
    completed: Enrolment,
    cohort: Cohort,
    secretariat: User,
    secretariat_client: Client,
    applicant: User,
) -> None:
    services.certificate_issue(actor=secretariat, cohort=cohort)
    csv_text = secretariat_client.get(
        reverse("assessment:completion", args=[cohort.pk]), {"format": "csv"}
    ).content.decode()
    header, row = csv_text.strip().splitlines()
    assert header.startswith("trainee,attendance_percent,quiz:")
    assert row.split(",")[1:3] == ["100", "100"]
    assert "QIAO-" in row
    [numbers] = selectors.certificate_numbers(user=secretariat)
    assert (numbers.trainees, numbers.completed, numbers.certified, numbers.revoked) == (1, 1, 1, 0)
    numbers_csv = secretariat_client.get(
        reverse("assessment:numbers"), {"format": "csv"}
    ).content.decode()
    assert numbers_csv.splitlines()[0] == "cohort,starts_on,trainees,completed,certified,revoked"
    assert numbers_csv.splitlines()[1].endswith(",1,1,1,0")


def test_training_funnel_ends_with_completed_and_certified(
    completed: Enrolment, cohort: Cohort, secretariat: User, secretariat_client: Client
) -> None:
    """The training numbers page shows this app's steps (registered in AppConfig.ready)."""
    services.certificate_issue(actor=secretariat, cohort=cohort)
    response = secretariat_client.get(reverse("training:numbers"))
    ((_, funnel),) = response.context["funnels"]
    assert [(step.key, step.count) for step in funnel][-2:] == [("completed", 1), ("certified", 1)]
    certificate = completed.certificates.get()
    services.certificate_revoke(actor=secretariat, certificate=certificate, reason="error")
    response = secretariat_client.get(reverse("training:numbers"))
    ((_, funnel),) = response.context["funnels"]
    assert [(step.key, step.count) for step in funnel][-1] == ("certified", 0)


def test_issue_all_through_the_page(
    completed: Enrolment, cohort: Cohort, secretariat_client: Client
) -> None:
    response = secretariat_client.post(reverse("assessment:issue", args=[cohort.pk]))
    assert response.status_code == 302
    assert Certificate.objects.filter(enrolment=completed).count() == 1
    page = secretariat_client.get(reverse("assessment:completion", args=[cohort.pk]))
    assert Certificate.objects.get().number in page.content.decode()


def test_completion_page_query_count(
    completed: Enrolment,
    cohort: Cohort,
    secretariat_client: Client,
    quiz: Quiz,
    django_assert_max_num_queries: Callable[[int], AbstractContextManager[Any]],
) -> None:
    for i in range(5):
        user = User.objects.create(username=f"t{i}", first_name="T", last_name=str(i))
        Enrolment.objects.create(
            cohort=cohort, user=user, status="accepted", motivation="x", motivation_language="en"
        )
        cohort.capacity += 1
    cohort.save()
    for enrolment in Enrolment.objects.filter(cohort=cohort).exclude(pk=completed.pk):
        pass_quiz(enrolment.user, quiz, cohort)
    with django_assert_max_num_queries(20):
        assert (
            secretariat_client.get(reverse("assessment:completion", args=[cohort.pk])).status_code
            == 200
        )


def test_download_without_the_font_says_so(
    completed: Enrolment,
    cohort: Cohort,
    secretariat: User,
    secretariat_client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QIAO_CERTIFICATE_FONT", "/nonexistent/font.ttc")
    [certificate] = services.certificate_issue(actor=secretariat, cohort=cohort)
    response = secretariat_client.get(
        reverse("assessment:certificate-pdf", args=[certificate.pk]), follow=True
    )
    assert response.redirect_chain[0][0] == reverse("assessment:cohort", args=[cohort.pk])
    assert "font is missing" in response.content.decode()


@pytest.mark.parametrize(
    ("first", "last", "printed"),
    [
        ("伟", "王", "王伟"),
        ("Иван", "Иванов", "Иван Иванов"),
        ("Aliya", "Nurlanova", "Aliya Nurlanova"),
        ("", "", "login"),
    ],
)
def test_holder_name_order(first: str, last: str, printed: str) -> None:
    assert selectors.holder_name(first, last, "login") == printed


def test_deleting_the_account_deletes_its_certificates(
    completed: Enrolment,
    cohort: Cohort,
    secretariat: User,
    anon_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = services.certificate_issue(actor=secretariat, cohort=cohort)
    certificate.refresh_from_db()
    storage, name = certificate.pdf.storage, certificate.pdf.name
    assert name and storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        completed.user.delete()
    assert not Certificate.objects.exists()
    assert not storage.exists(name)  # the PDF with the holder's name is gone too
    url = reverse("assessment:verify-number", args=[certificate.number])
    assert anon_client.get(url).status_code == 404
