"""Writes for practical simulations. The trainee's sandbox deal follows the live deal rules
(one stage at a time, the stage's required checklist steps first, an agreement type before
leaving the agreement stage) but is stored only in the training tables: nothing here writes a
profile, interest, deal, e-mail or anything the dashboards count."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.languages import ContentLanguage
from qiao.deals.models import (
    OPEN_STAGES,
    STAGE_ORDER,
    AgreementType,
    ChecklistItem,
    DealStage,
)
from qiao.training import permissions
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Attempt,
    AttemptPartner,
    AttemptStatus,
    AttemptStep,
    Enrolment,
    SandboxOffer,
)

# Weights of the automatic score (sum 1).
WEIGHTS = {"precision": 0.3, "recall": 0.3, "checklist": 0.25, "deadlines": 0.15}


def _editable(actor: User, attempt: Attempt) -> Attempt:
    if not permissions.can_work_attempt(actor, attempt):
        raise NotAllowed(_("Only the trainee works on their simulation."))
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.status != AttemptStatus.WORKING:
        raise ServiceError(_("This simulation is submitted and can no longer change."))
    return locked


def attempt_start(*, actor: User, assignment: Assignment) -> Attempt:
    if not permissions.can_start_attempt(actor, assignment):
        raise NotAllowed(_("Only the cohort's trainees work on its simulations."))
    enrolment = Enrolment.objects.get(
        cohort_id=assignment.cohort_id, user=actor, status=ApplicationStatus.ACCEPTED
    )
    with transaction.atomic():
        attempt, _created = Attempt.objects.get_or_create(
            assignment=assignment, enrolment=enrolment
        )
    return attempt


def attempt_choose_partner(
    *, actor: User, attempt: Attempt, offer: SandboxOffer, chosen: bool
) -> Attempt:
    if offer.assignment_id != attempt.assignment_id:
        raise ServiceError(_("This offer is not in the assignment's pool."))
    with transaction.atomic():
        locked = _editable(actor, attempt)
        if chosen:
            AttemptPartner.objects.get_or_create(attempt=locked, offer=offer)
            if locked.partners_chosen_at is None:
                locked.partners_chosen_at = timezone.now()
                locked.save(update_fields=["partners_chosen_at", "updated_at"])
        else:
            AttemptPartner.objects.filter(attempt=locked, offer=offer).delete()
            if not locked.partners.exists():
                locked.partners_chosen_at = None
                locked.save(update_fields=["partners_chosen_at", "updated_at"])
    return locked


def _checklist(stage: str) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(stage=stage, active=True).order_by("position", "id"))


def attempt_tick(*, actor: User, attempt: Attempt, item: ChecklistItem, done: bool) -> Attempt:
    with transaction.atomic():
        locked = _editable(actor, attempt)
        if item.stage != locked.stage or not item.active:
            raise ServiceError(_("Tick the steps of the current stage."))
        if done:
            AttemptStep.objects.get_or_create(attempt=locked, item=item)
        else:
            AttemptStep.objects.filter(attempt=locked, item=item).delete()
    return locked


def attempt_set_agreement(*, actor: User, attempt: Attempt, agreement_type: str) -> Attempt:
    if agreement_type not in AgreementType.values:
        raise ServiceError(_("Choose a type of agreement."))
    with transaction.atomic():
        locked = _editable(actor, attempt)
        locked.agreement_type = agreement_type
        locked.save(update_fields=["agreement_type", "updated_at"])
    return locked


def attempt_advance(*, actor: User, attempt: Attempt) -> Attempt:
    """Move the sandbox deal one stage on, as the live deal rules allow."""
    with transaction.atomic():
        locked = _editable(actor, attempt)
        if locked.stage not in OPEN_STAGES:
            raise ServiceError(_("The simulated deal is closed."))
        if not locked.partners.exists():
            raise ServiceError(_("Choose at least one partner first."))
        done = set(locked.steps.values_list("item_id", flat=True))
        missing = [i for i in _checklist(locked.stage) if i.required and i.pk not in done]
        if missing:
            raise ServiceError(
                _("Complete the required steps of this stage first: %(steps)s")
                % {"steps": "; ".join(item.label() for item in missing)}
            )
        if locked.stage == DealStage.AGREEMENT and not locked.agreement_type:
            raise ServiceError(_("Record the agreement type before leaving this stage."))
        locked.stage = STAGE_ORDER[STAGE_ORDER.index(locked.stage) + 1]
        if locked.stage == DealStage.CLOSED_WON:
            locked.closed_at = timezone.now()
        locked.save()
    return locked


def score(attempt: Attempt) -> dict[str, float]:
    """Precision and recall of the partners against the reference, share of the checklist
    steps done over the stages passed, share of the two deadlines kept."""
    chosen = set(attempt.partners.values_list("offer_id", flat=True))
    reference = set(
        SandboxOffer.objects.filter(
            assignment_id=attempt.assignment_id, is_reference=True
        ).values_list("pk", flat=True)
    )
    hits = len(chosen & reference)
    precision = hits / len(chosen) if chosen else 0.0
    recall = hits / len(reference) if reference else 1.0
    passed = STAGE_ORDER[: STAGE_ORDER.index(attempt.stage) + 1]
    items = set(
        ChecklistItem.objects.filter(stage__in=passed, active=True).values_list("pk", flat=True)
    )
    done = set(attempt.steps.values_list("item_id", flat=True)) & items
    checklist = len(done) / len(items) if items else 1.0
    assignment = attempt.assignment
    kept = int(
        attempt.partners_chosen_at is not None
        and attempt.partners_chosen_at <= assignment.partners_due
    ) + int(attempt.closed_at is not None and attempt.closed_at <= assignment.deal_due)
    return {
        "precision": precision,
        "recall": recall,
        "checklist": checklist,
        "deadlines": kept / 2,
        "kept": kept,
    }


def attempt_submit(*, actor: User, attempt: Attempt, justification: str, language: str) -> Attempt:
    justification = justification.strip()
    if not justification:
        raise ServiceError(_("Justify your choice of partners."))
    if language not in ContentLanguage.values:
        raise ServiceError(_("Choose the language you wrote in."))
    with transaction.atomic():
        locked = _editable(actor, attempt)
        if not locked.partners.exists():
            raise ServiceError(_("Choose at least one partner first."))
        locked.justification = justification
        locked.justification_language = language
        locked.status = AttemptStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        parts = score(locked)
        locked.precision = parts["precision"]
        locked.recall = parts["recall"]
        locked.checklist_done = parts["checklist"]
        locked.deadlines_kept = int(parts["kept"])
        locked.auto_score = round(100 * sum(WEIGHTS[k] * parts[k] for k in WEIGHTS))
        locked.save()
    return locked


def attempt_grade(*, actor: User, attempt: Attempt, rubric_score: int, feedback: str) -> Attempt:
    if not permissions.can_grade_attempt(actor, attempt):
        raise NotAllowed(_("Only the cohort's lecturers grade simulations."))
    if not 0 <= rubric_score <= 100:
        raise ServiceError(_("Give a rubric score from 0 to 100."))
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != AttemptStatus.SUBMITTED:
            raise ServiceError(_("Only a submitted simulation can be graded."))
        locked.rubric_score = rubric_score
        locked.feedback = feedback.strip()
        locked.graded_by = actor
        locked.save()
    return locked


def leaderboard_set_hidden(*, actor: User, assignment: Assignment, hidden: bool) -> Assignment:
    if not permissions.can_manage_assignment(actor, assignment):
        raise NotAllowed(_("Only the cohort's lecturers show or hide the leaderboard."))
    with transaction.atomic():
        assignment.leaderboard_hidden = hidden
        assignment.save(update_fields=["leaderboard_hidden", "updated_at"])
    return assignment
