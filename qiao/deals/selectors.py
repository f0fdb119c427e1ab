"""Reads of the broker workspace; each takes the acting user and returns only what they may see
(qiao.deals.permissions)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from qiao.deals.models import (
    STAGE_ORDER,
    ChecklistItem,
    Deal,
    DealStage,
    DealStep,
    Interest,
    InterestStatus,
    Pass,
    PassReason,
)
from qiao.exchange.models import Profile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _signed_in(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def interests_visible_to(user: AnyUser) -> QuerySet[Interest]:
    qs = Interest.objects.select_related(
        "profile__organization", "organization", "created_by", "decided_by"
    )
    u = _signed_in(user)
    if u is None:
        return qs.none()
    if u.is_secretariat:
        return qs
    visible = Q(pk__in=[])
    if u.organization_id:
        visible |= Q(organization_id=u.organization_id) | Q(
            profile__organization_id=u.organization_id
        )
    if u.is_broker:
        visible |= Q(profile__organization__broker=u)
    return qs.filter(visible)


def interest_get(*, user: AnyUser, interest_id: int) -> Interest:
    return interests_visible_to(user).get(pk=interest_id)


def interests_to_decide(*, user: AnyUser) -> QuerySet[Interest]:
    u = _signed_in(user)
    if u is None or not u.can_review:
        return Interest.objects.none()
    qs = interests_visible_to(u).filter(status=InterestStatus.PENDING)
    if not u.is_secretariat:
        qs = qs.filter(profile__organization__broker=u)
    return qs.order_by("created_at", "id")


def interest_of_organization(*, user: AnyUser, profile: Profile) -> Interest | None:
    """The acting user's organisation's latest expression of interest in the profile."""
    u = _signed_in(user)
    if u is None or u.organization_id is None:
        return None
    return (
        Interest.objects.filter(profile=profile, organization_id=u.organization_id)
        .order_by("-created_at", "-id")
        .first()
    )


def pass_of_organization(*, user: AnyUser, profile: Profile) -> Pass | None:
    u = _signed_in(user)
    if u is None or u.organization_id is None:
        return None
    return Pass.objects.filter(profile=profile, organization_id=u.organization_id).first()


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    label: str
    count: int


def pass_summary(*, profile: Profile) -> tuple[list[ReasonCount], list[Pass]]:
    """Counts per reason (every reason, zeros included) and the passes with a comment."""
    passes = list(Pass.objects.filter(profile=profile))
    counts = Counter(p.reason for p in passes)
    rows = [ReasonCount(value, str(label), counts[value]) for value, label in PassReason.choices]
    return rows, [p for p in passes if p.comment]


def deals_visible_to(user: AnyUser) -> QuerySet[Deal]:
    qs = Deal.objects.select_related("profile", "owner", "partner", "broker")
    u = _signed_in(user)
    if u is None:
        return qs.none()
    if u.is_secretariat:
        return qs
    visible = Q(broker=u)
    if u.organization_id:
        visible |= Q(owner_id=u.organization_id) | Q(partner_id=u.organization_id)
    return qs.filter(visible)


def deal_get(*, user: AnyUser, deal_id: int) -> Deal:
    return deals_visible_to(user).get(pk=deal_id)


def deal_board(*, user: AnyUser, broker_id: int | None = None) -> list[tuple[str, str, list[Deal]]]:
    """(stage, label, deals) for every stage, in pipeline order."""
    qs = deals_visible_to(user)
    if broker_id:
        qs = qs.filter(broker_id=broker_id)
    by_stage: dict[str, list[Deal]] = {stage: [] for stage in STAGE_ORDER}
    for deal in qs.order_by("stage_entered_at", "id"):
        by_stage[deal.stage].append(deal)
    return [(stage, str(DealStage(stage).label), by_stage[stage]) for stage in STAGE_ORDER]


@dataclass(frozen=True)
class ChecklistRow:
    item: ChecklistItem
    done: bool
    done_step: DealStep | None


def deal_checklist(*, deal: Deal) -> list[ChecklistRow]:
    """The current stage's active steps, with what is done."""
    steps = {s.item_id: s for s in DealStep.objects.filter(deal=deal).select_related("done_by")}
    items = ChecklistItem.objects.filter(stage=deal.stage, active=True)
    return [ChecklistRow(item, item.pk in steps, steps.get(item.pk)) for item in items]


def organization_contacts(organization_id: int) -> list[User]:
    """The representatives whose contact details an introduction releases."""
    from qiao.accounts.models import User

    return list(User.objects.filter(organization_id=organization_id, is_active=True).order_by("id"))
