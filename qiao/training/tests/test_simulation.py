"""Practical simulation in the sandbox: search the pool across languages, choose partners,
take the simulated deal through stages and checklists, automatic scoring against the
reference, the lecturer's rubric, the leaderboard lecturers can hide - and proof that nothing
reaches live profiles, deals, e-mails, the live index or the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import UserFactory
from qiao.dashboards.selectors import dashboard
from qiao.deals.models import ChecklistItem, Deal, DealEvent, DealStage, DealStep, Interest
from qiao.exchange.models import Match, Profile
from qiao.search.selectors import search_ids
from qiao.training import simulation
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Attempt,
    AttemptStatus,
    Cohort,
    Enrolment,
    SandboxOffer,
)
from qiao.training.selectors import attempt_workspace, leaderboard

pytestmark = pytest.mark.django_db


def _offer(assignment: Assignment, title: str) -> SandboxOffer:
    return assignment.offers.get(title=title)


def _complete(trainee: User, assignment: Assignment, *, partners: list[str]) -> Attempt:
    """Choose partners, tick every step, close the deal won, submit."""
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    for title in partners:
        simulation.attempt_choose_partner(
            actor=trainee, attempt=attempt, offer=_offer(assignment, title), chosen=True
        )
    while True:
        attempt.refresh_from_db()
        if attempt.stage == DealStage.CLOSED_WON:
            break
        for item in ChecklistItem.objects.filter(stage=attempt.stage):
            simulation.attempt_tick(actor=trainee, attempt=attempt, item=item, done=True)
        if attempt.stage == DealStage.AGREEMENT:
            simulation.attempt_set_agreement(
                actor=trainee, attempt=attempt, agreement_type="licence"
            )
        simulation.attempt_advance(actor=trainee, attempt=attempt)
    return simulation.attempt_submit(
        actor=trainee,
        attempt=attempt,
        justification="两家都能修复轴类零件。",
        language="zh",
    )


def test_sandbox_search_crosses_languages(trainee: User, assignment: Assignment) -> None:
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    found = [
        o.title
        for o, _ in attempt_workspace(
            attempt=attempt, query="восстановление изношенных валов лазером"
        ).offers
    ]
    assert set(found[:2]) == {"激光熔覆修复轴类零件", "Laser cladding robot cells for shaft repair"}
    # Without a query the whole pool is shown.
    assert len(attempt_workspace(attempt=attempt).offers) == 4


def test_scores_against_the_reference(trainee: User, assignment: Assignment) -> None:
    attempt = _complete(
        trainee, assignment, partners=["激光熔覆修复轴类零件", "Технология переработки мёда"]
    )
    assert attempt.status == AttemptStatus.SUBMITTED
    assert (attempt.precision, attempt.recall) == (0.5, 0.5)
    assert attempt.checklist_done == 1.0
    assert attempt.deadlines_kept == 2
    assert attempt.auto_score == round(100 * (0.3 * 0.5 + 0.3 * 0.5 + 0.25 + 0.15))
    assert attempt.total_score == attempt.auto_score


def test_missed_deadlines_and_steps_cost_points(trainee: User, assignment: Assignment) -> None:
    assignment.partners_due = timezone.now() - timedelta(days=1)
    assignment.deal_due = timezone.now() - timedelta(hours=1)
    assignment.save()
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    for title in ("激光熔覆修复轴类零件", "Laser cladding robot cells for shaft repair"):
        simulation.attempt_choose_partner(
            actor=trainee, attempt=attempt, offer=_offer(assignment, title), chosen=True
        )
    required = ChecklistItem.objects.get(stage=DealStage.INTRODUCED, required=True)
    simulation.attempt_tick(actor=trainee, attempt=attempt, item=required, done=True)
    simulation.attempt_advance(actor=trainee, attempt=attempt)
    attempt = simulation.attempt_submit(
        actor=trainee, attempt=attempt, justification="Both fit.", language="en"
    )
    # Stages passed: introduced + first contact; 1 of their 2 steps done; no deadline kept.
    assert (attempt.precision, attempt.recall, attempt.checklist_done) == (1.0, 1.0, 0.5)
    assert attempt.deadlines_kept == 0
    assert attempt.auto_score == round(100 * (0.3 + 0.3 + 0.25 * 0.5))


def test_the_live_deal_rules_apply(trainee: User, assignment: Assignment) -> None:
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    with pytest.raises(ServiceError, match="partner"):
        simulation.attempt_advance(actor=trainee, attempt=attempt)
    simulation.attempt_choose_partner(
        actor=trainee, attempt=attempt, offer=_offer(assignment, "奶酪发酵菌种"), chosen=True
    )
    with pytest.raises(ServiceError, match="Confirm both contacts"):
        simulation.attempt_advance(actor=trainee, attempt=attempt)
    nda_step = ChecklistItem.objects.get(stage=DealStage.NDA)
    with pytest.raises(ServiceError):
        simulation.attempt_tick(actor=trainee, attempt=attempt, item=nda_step, done=True)
    attempt.stage = DealStage.AGREEMENT
    attempt.save()
    with pytest.raises(ServiceError, match="agreement type"):
        simulation.attempt_advance(actor=trainee, attempt=attempt)


def test_submitted_simulation_is_frozen(trainee: User, assignment: Assignment) -> None:
    attempt = _complete(trainee, assignment, partners=["奶酪发酵菌种"])
    with pytest.raises(ServiceError):
        simulation.attempt_choose_partner(
            actor=trainee,
            attempt=attempt,
            offer=_offer(assignment, "激光熔覆修复轴类零件"),
            chosen=True,
        )


def test_offer_from_another_pool_is_refused(trainee: User, assignment: Assignment) -> None:
    other = Assignment.objects.create(
        cohort=assignment.cohort,
        title_en="Other",
        partners_due=assignment.partners_due,
        deal_due=assignment.deal_due,
    )
    stranger = SandboxOffer.objects.create(
        assignment=other, language="en", organization_name="X", title="X", summary="X"
    )
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    with pytest.raises(ServiceError):
        simulation.attempt_choose_partner(
            actor=trainee, attempt=attempt, offer=stranger, chosen=True
        )


def test_lecturer_grades_and_the_trainee_sees_feedback(
    trainee: User, lecturer: User, assignment: Assignment, trainee_client: Client
) -> None:
    attempt = _complete(trainee, assignment, partners=["激光熔覆修复轴类零件"])
    with pytest.raises(NotAllowed):
        simulation.attempt_grade(actor=trainee, attempt=attempt, rubric_score=100, feedback="")
    with pytest.raises(ServiceError):
        simulation.attempt_grade(actor=lecturer, attempt=attempt, rubric_score=101, feedback="")
    graded = simulation.attempt_grade(
        actor=lecturer, attempt=attempt, rubric_score=50, feedback="Сравните условия лицензии."
    )
    assert graded.total_score == round(0.6 * (graded.auto_score or 0) + 0.4 * 50)
    page = trainee_client.get(reverse("training:attempt", args=[attempt.pk]))
    assert "Сравните условия лицензии." in page.content.decode()


def test_leaderboard_can_be_hidden_from_trainees(
    trainee: User, lecturer: User, assignment: Assignment, cohort: Cohort
) -> None:
    second = UserFactory.create()
    Enrolment.objects.create(
        cohort=cohort,
        user=second,
        status=ApplicationStatus.ACCEPTED,
        motivation="m",
        motivation_language="en",
    )
    weak = _complete(second, assignment, partners=["奶酪发酵菌种"])
    strong = _complete(
        trainee,
        assignment,
        partners=["激光熔覆修复轴类零件", "Laser cladding robot cells for shaft repair"],
    )
    assert leaderboard(user=trainee, assignment=assignment) == [strong, weak]
    simulation.leaderboard_set_hidden(actor=lecturer, assignment=assignment, hidden=True)
    assert leaderboard(user=trainee, assignment=assignment) == []
    assert leaderboard(user=lecturer, assignment=assignment) == [strong, weak]
    with pytest.raises(NotAllowed):
        simulation.leaderboard_set_hidden(actor=trainee, assignment=assignment, hidden=False)


def test_nothing_reaches_live_data(
    trainee: User,
    assignment: Assignment,
    trainee_client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    before = {
        "profiles": Profile.objects.count(),
        "matches": Match.objects.count(),
        "interests": Interest.objects.count(),
        "deals": Deal.objects.count(),
        "steps": DealStep.objects.count(),
        "events": DealEvent.objects.count(),
        "index": search_ids(collection="profiles"),
        "dashboard": _numbers(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        # Through the web, as the trainee would.
        trainee_client.post(reverse("training:attempt-start", args=[assignment.pk]))
        attempt = Attempt.objects.get()
        trainee_client.get(reverse("training:attempt", args=[attempt.pk]) + "?q=валы")
        for offer in assignment.offers.filter(is_reference=True):
            trainee_client.post(
                reverse("training:attempt-action", args=[attempt.pk, "choose"]),
                {"offer": offer.pk},
            )
        _tick_and_advance_to_won(trainee_client, attempt)
        trainee_client.post(
            reverse("training:attempt-action", args=[attempt.pk, "submit"]),
            {"justification": "Обе компании восстанавливают валы.", "language": "ru"},
        )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.stage == DealStage.CLOSED_WON
    after = {
        "profiles": Profile.objects.count(),
        "matches": Match.objects.count(),
        "interests": Interest.objects.count(),
        "deals": Deal.objects.count(),
        "steps": DealStep.objects.count(),
        "events": DealEvent.objects.count(),
        "index": search_ids(collection="profiles"),
        "dashboard": _numbers(),
    }
    assert after == before
    assert mail.outbox == []
    # The pool lives in the sandbox collection, never in the live profiles one.
    assert not any(doc.startswith("sandbox-offer:") for doc in search_ids(collection="profiles"))
    assert {f"sandbox-offer:{pk}" for pk in assignment.offers.values_list("pk", flat=True)} <= set(
        search_ids(collection="sandbox")
    )


def _numbers() -> object:
    with translation.override("en"):
        return dashboard(broker_id=None)


def _tick_and_advance_to_won(client: Client, attempt: Attempt) -> None:
    for _ in range(10):
        attempt.refresh_from_db()
        if attempt.stage == DealStage.CLOSED_WON:
            return
        for item in ChecklistItem.objects.filter(stage=attempt.stage):
            client.post(
                reverse("training:attempt-action", args=[attempt.pk, "tick"]), {"item": item.pk}
            )
        if attempt.stage == DealStage.AGREEMENT:
            client.post(
                reverse("training:attempt-action", args=[attempt.pk, "agreement"]),
                {"agreement_type": "joint_rd"},
            )
        client.post(reverse("training:attempt-action", args=[attempt.pk, "advance"]))
    raise AssertionError("the simulated deal never closed")


# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("applicant_client", 403),
        ("trainee_client", 200),
        ("lecturer_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_assignment_page(
    request: pytest.FixtureRequest, persona: str, status: int, assignment: Assignment
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("training:assignment", args=[assignment.pk]))
    assert response.status_code == status
    if status == 200:
        # The reference solution is for lecturers and the secretariat only.
        assert (list(response.context["reference"]) != []) is (persona != "trainee_client")


def test_draft_assignment_hidden_from_trainees(
    trainee_client: Client, lecturer_client: Client, assignment: Assignment
) -> None:
    assignment.published = False
    assignment.save()
    url = reverse("training:assignment", args=[assignment.pk])
    assert trainee_client.get(url).status_code == 403
    assert lecturer_client.get(url).status_code == 200
    assert (
        trainee_client.post(reverse("training:attempt-start", args=[assignment.pk])).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("persona", "start", "view", "work", "grade"),
    [
        ("anon_client", 302, 302, 302, 302),
        ("outsider_client", 403, 403, 403, 403),
        ("applicant_client", 403, 403, 403, 403),
        ("lecturer_client", 403, 200, 403, 302),
        ("secretariat_client", 403, 200, 403, 302),
    ],
)
def test_attempt_permissions(
    request: pytest.FixtureRequest,
    persona: str,
    start: int,
    view: int,
    work: int,
    grade: int,
    trainee: User,
    assignment: Assignment,
) -> None:
    attempt = _complete(trainee, assignment, partners=["奶酪发酵菌种"])
    client: Client = request.getfixturevalue(persona)
    assert client.post(reverse("training:attempt-start", args=[assignment.pk])).status_code == start
    assert client.get(reverse("training:attempt", args=[attempt.pk])).status_code == view
    offer = _offer(assignment, "激光熔覆修复轴类零件")
    response = client.post(
        reverse("training:attempt-action", args=[attempt.pk, "choose"]), {"offer": offer.pk}
    )
    assert response.status_code == work
    response = client.post(
        reverse("training:attempt-action", args=[attempt.pk, "grade"]),
        {"rubric_score": 80, "feedback": "ok"},
    )
    assert response.status_code == grade
    attempt.refresh_from_db()
    assert (attempt.rubric_score == 80) is (grade == 302 and persona != "anon_client")
    assert attempt.partners.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("trainee_client", 403),
        ("outsider_client", 403),
        ("lecturer_client", 302),
        ("secretariat_client", 302),
    ],
)
def test_leaderboard_toggle_permissions(
    request: pytest.FixtureRequest, persona: str, status: int, assignment: Assignment
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.post(
        reverse("training:leaderboard-visibility", args=[assignment.pk]), {"hidden": "1"}
    )
    assert response.status_code == status
    assignment.refresh_from_db()
    assert assignment.leaderboard_hidden is (status == 302 and persona != "anon_client")


def test_another_trainee_cannot_open_my_simulation(
    trainee: User, assignment: Assignment, cohort: Cohort
) -> None:
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    other = UserFactory.create()
    Enrolment.objects.create(
        cohort=cohort, user=other, status="accepted", motivation="m", motivation_language="en"
    )
    client = Client()
    client.force_login(other)
    assert client.get(reverse("training:attempt", args=[attempt.pk])).status_code == 403
