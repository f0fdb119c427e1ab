"""Every assessment action for every persona: visitor, outsider, applicant (not accepted),
trainee, the cohort's lecturers and the secretariat."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.assessment import services
from qiao.assessment.models import Certificate, CompletionRule, Quiz, QuizAttempt
from qiao.training.models import Cohort, Enrolment

PERSONAS = (
    "anon_client",
    "outsider_client",
    "applicant_client",
    "trainee_client",
    "lecturer_client",
    "other_lecturer_client",
    "secretariat_client",
)


@dataclass
class World:
    cohort: Cohort
    quiz: Quiz
    attempt: QuizAttempt
    certificate: Certificate


@pytest.fixture
def world(
    completed: Enrolment,
    cohort: Cohort,
    quiz: Quiz,
    secretariat: User,
    lecturer: User,
    other_lecturer: User,
    applicant: User,
) -> World:
    [certificate] = services.certificate_issue(actor=secretariat, cohort=cohort)
    return World(cohort, quiz, QuizAttempt.objects.get(enrolment=completed), certificate)


def _question(world: World) -> dict[str, str]:
    return {
        "kind": "single",
        "text_en": "Which document protects confidential information?",
        "options_en": "NDA\nInvoice",
        "correct": "1",
        "active": "on",
    }


ACTIONS = {
    "assessment page": lambda c, w: c.get(reverse("assessment:cohort", args=[w.cohort.pk])),
    "start a quiz": lambda c, w: c.post(
        reverse("assessment:quiz-start", args=[w.cohort.pk, w.quiz.pk])
    ),
    "see an attempt": lambda c, w: c.get(reverse("assessment:attempt", args=[w.attempt.pk])),
    "answer an attempt": lambda c, w: c.post(
        reverse("assessment:attempt", args=[w.attempt.pk]), {"action": "submit"}
    ),
    "reopen an attempt": lambda c, w: c.post(
        reverse("assessment:attempt-reopen", args=[w.attempt.pk])
    ),
    "edit a quiz": lambda c, w: c.get(reverse("assessment:quiz", args=[w.quiz.module_id])),
    "add a question": lambda c, w: c.post(
        reverse("assessment:question-new", args=[w.quiz.pk]), _question(w)
    ),
    "completion rules": lambda c, w: c.get(
        reverse("assessment:rules", args=[w.cohort.programme_id])
    ),
    "completion table": lambda c, w: c.get(reverse("assessment:completion", args=[w.cohort.pk])),
    "issue certificates": lambda c, w: c.post(reverse("assessment:issue", args=[w.cohort.pk])),
    "revoke a certificate": lambda c, w: c.post(
        reverse("assessment:revoke", args=[w.certificate.pk]), {"reason": "Issued by mistake."}
    ),
    "download a certificate": lambda c, w: c.get(
        reverse("assessment:certificate-pdf", args=[w.certificate.pk])
    ),
    "certification numbers": lambda c, w: c.get(reverse("assessment:numbers")),
    "verify a certificate": lambda c, w: c.get(
        reverse("assessment:verify-number", args=[w.certificate.number])
    ),
}

# anon, outsider, applicant, trainee, lecturer, other lecturer, secretariat
EXPECTED = {
    "assessment page": (302, 403, 403, 200, 200, 200, 200),
    "start a quiz": (302, 403, 403, 302, 403, 403, 403),
    "see an attempt": (302, 403, 403, 200, 200, 200, 200),
    "answer an attempt": (302, 403, 403, 302, 403, 403, 403),
    "reopen an attempt": (302, 403, 403, 403, 302, 302, 302),
    "edit a quiz": (302, 403, 403, 403, 200, 200, 200),
    "add a question": (302, 403, 403, 403, 302, 302, 302),
    "completion rules": (302, 403, 403, 403, 403, 403, 200),
    "completion table": (302, 403, 403, 403, 200, 200, 200),
    "issue certificates": (302, 403, 403, 403, 302, 302, 302),
    "revoke a certificate": (302, 403, 403, 403, 403, 403, 302),
    "download a certificate": (302, 403, 403, 200, 200, 200, 200),
    "certification numbers": (302, 403, 403, 403, 403, 403, 200),
    "verify a certificate": (200, 200, 200, 200, 200, 200, 200),
}

CASES = [
    (action, persona, status)
    for action, statuses in EXPECTED.items()
    for persona, status in zip(PERSONAS, statuses, strict=True)
]


@pytest.mark.parametrize(("action", "persona", "status"), CASES)
def test_permission(
    request: pytest.FixtureRequest, world: World, action: str, persona: str, status: int
) -> None:
    client: Client = request.getfixturevalue(persona)
    response: HttpResponse = ACTIONS[action](client, world)
    assert response.status_code == status
    if persona == "anon_client" and status == 302:
        assert "/accounts/login/" in response["Location"]


def test_writes_happen_only_for_the_allowed(
    world: World, lecturer_client: Client, secretariat_client: Client, trainee_client: Client
) -> None:
    assert world.quiz.questions.count() == 6
    ACTIONS["add a question"](lecturer_client, world)
    assert world.quiz.questions.count() == 7
    ACTIONS["reopen an attempt"](trainee_client, world)
    world.attempt.refresh_from_db()
    assert world.attempt.reopened_at is None
    ACTIONS["reopen an attempt"](lecturer_client, world)
    world.attempt.refresh_from_db()
    assert world.attempt.reopened_at is not None
    ACTIONS["revoke a certificate"](secretariat_client, world)
    world.certificate.refresh_from_db()
    assert not world.certificate.valid


def test_a_revoked_certificate_is_not_downloadable_by_its_holder(
    world: World, secretariat: User, trainee_client: Client, secretariat_client: Client
) -> None:
    services.certificate_revoke(actor=secretariat, certificate=world.certificate, reason="Error.")
    assert ACTIONS["download a certificate"](trainee_client, world).status_code == 403
    assert ACTIONS["download a certificate"](secretariat_client, world).status_code == 200


def test_rules_are_saved_by_the_secretariat(world: World, secretariat_client: Client) -> None:
    response = secretariat_client.post(
        reverse("assessment:rules", args=[world.cohort.programme_id]),
        {"min_attendance_percent": "70", "require_quizzes": "on", "min_simulation_score": "50"},
    )
    assert response.status_code == 302
    rule = CompletionRule.objects.get(programme_id=world.cohort.programme_id)
    assert (rule.min_attendance_percent, rule.require_quizzes, rule.require_simulations) == (
        70,
        True,
        False,
    )
