"""The numbers of the broker dashboard, for one technology manager or the whole platform.
Callers check qiao.dashboards.permissions first."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from qiao.deals.models import (
    STAGE_ORDER,
    Deal,
    DealEvent,
    DealEventKind,
    DealStage,
    Interest,
    InterestStatus,
    Pass,
    PassReason,
)
from qiao.exchange.models import Match, MatchStatus, Profile, ProfileStatus

# Stages from which a deal counts as having reached an agreement.
AGREEMENT_REACHED = (DealStage.AGREEMENT, DealStage.IMPLEMENTATION, DealStage.CLOSED_WON)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: float


@dataclass
class Dashboard:
    totals: list[Row] = field(default_factory=list)
    deals_by_stage: list[Row] = field(default_factory=list)
    funnel: list[Row] = field(default_factory=list)
    median_days: list[Row] = field(default_factory=list)
    pass_reasons: list[Row] = field(default_factory=list)
    agreement_values: list[Row] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[Row]]]:
        return [
            ("totals", self.totals),
            ("deals_by_stage", self.deals_by_stage),
            ("funnel", self.funnel),
            ("median_days", self.median_days),
            ("pass_reasons", self.pass_reasons),
            ("agreement_values", self.agreement_values),
        ]


def _scope(broker_id: int | None) -> tuple[QuerySet[Profile], QuerySet[Deal], Q]:
    profiles = Profile.objects.all()
    deals = Deal.objects.all()
    if broker_id is None:
        return profiles, deals, Q()
    return (
        profiles.filter(organization__broker_id=broker_id),
        deals.filter(broker_id=broker_id),
        Q(profile__organization__broker_id=broker_id),
    )


def _median_days_per_stage(deals: QuerySet[Deal]) -> dict[str, float]:
    """Median days a deal spent in each stage it has left (from the audit trail)."""
    entered: dict[int, datetime] = {}
    durations: dict[str, list[float]] = defaultdict(list)
    events = DealEvent.objects.filter(
        deal__in=deals, kind__in=[DealEventKind.OPENED, DealEventKind.STAGE]
    ).order_by("deal_id", "id")  # the audit trail is append-only: id order is time order
    for event in events:
        if event.kind == DealEventKind.STAGE and event.deal_id in entered and event.old_value:
            seconds = (event.created_at - entered[event.deal_id]).total_seconds()
            durations[event.old_value].append(seconds / 86400)
        entered[event.deal_id] = event.created_at
    return {stage: round(statistics.median(values), 1) for stage, values in durations.items()}


def dashboard(*, broker_id: int | None) -> Dashboard:
    from django.utils.translation import gettext as _

    profiles, deals, interest_scope = _scope(broker_id)
    interests = Interest.objects.filter(interest_scope)
    matches = Match.objects.all()
    if broker_id is not None:
        matches = matches.filter(
            Q(offer__organization__broker_id=broker_id)
            | Q(request__organization__broker_id=broker_id)
        )
    reviewed = matches.filter(
        ~Q(offer_status=MatchStatus.NEW) | ~Q(request_status=MatchStatus.NEW)
    ).count()
    by_stage = dict(deals.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    interest_counts = Counter(interests.values_list("status", flat=True))
    signed = deals.filter(agreement_signed_on__isnull=False)
    out = Dashboard()
    out.totals = [
        Row(
            "profiles_published",
            _("Profiles published"),
            profiles.filter(status=ProfileStatus.PUBLISHED).count(),
        ),
        Row("matches_reviewed", _("Matches reviewed"), reviewed),
        Row("introductions", _("Expressions of interest"), sum(interest_counts.values())),
        Row("introductions_approved", _("Introductions"), interest_counts[InterestStatus.APPROVED]),
        Row("agreements_signed", _("Agreements signed"), signed.count()),
    ]
    out.deals_by_stage = [
        Row(stage, str(DealStage(stage).label), by_stage.get(stage, 0)) for stage in STAGE_ORDER
    ]
    reached = sum(by_stage.get(s, 0) for s in AGREEMENT_REACHED)
    out.funnel = [
        Row("interests", _("Expressions of interest"), sum(interest_counts.values())),
        Row("introduced", _("Introductions"), interest_counts[InterestStatus.APPROVED]),
        Row("agreement", _("Agreement reached"), reached),
        Row("won", str(DealStage.CLOSED_WON.label), by_stage.get(DealStage.CLOSED_WON, 0)),
    ]
    medians = _median_days_per_stage(deals)
    out.median_days = [
        Row(stage, str(DealStage(stage).label), medians[stage])
        for stage in STAGE_ORDER
        if stage in medians
    ]
    passes = Counter(Pass.objects.filter(profile__in=profiles).values_list("reason", flat=True))
    out.pass_reasons = [Row(v, str(label), passes[v]) for v, label in PassReason.choices]
    values = (
        signed.filter(agreement_value__isnull=False)
        .values("currency")
        .annotate(total=Sum("agreement_value"))
    )
    out.agreement_values = [
        Row(v["currency"], v["currency"], float(v["total"] or Decimal(0)))
        for v in values.order_by("currency")
    ]
    return out
