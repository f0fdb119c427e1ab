"""Reads of governance records; meeting reads check who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from qiao.core.errors import NotAllowed
from qiao.governance import permissions
from qiao.governance.models import (
    CharterVersion,
    Correction,
    CouncilPosition,
    CouncilTerm,
    ExpertMember,
    GoverningMeeting,
    VoteResult,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass
class Overview:
    charter: CharterVersion | None
    charter_versions: list[CharterVersion]
    council: list[CouncilTerm]
    council_history: list[CouncilTerm]
    experts: list[ExpertMember]
    former_experts: list[ExpertMember]


_POSITION_ORDER = {p.value: i for i, p in enumerate(CouncilPosition)}


def overview() -> Overview:
    versions = list(CharterVersion.objects.order_by("-version"))
    terms = list(CouncilTerm.objects.select_related("organization"))
    terms.sort(key=lambda t: (_POSITION_ORDER[t.position], t.holder_name))
    experts = list(ExpertMember.objects.select_related("organization"))
    return Overview(
        charter=next((v for v in versions if v.result == VoteResult.ADOPTED), None),
        charter_versions=versions,
        council=[t for t in terms if t.is_current],
        council_history=sorted(
            (t for t in terms if not t.is_current), key=lambda t: t.starts_on, reverse=True
        ),
        experts=[e for e in experts if e.ends_on is None],
        former_experts=[e for e in experts if e.ends_on is not None],
    )


def meetings(*, user: AnyUser) -> QuerySet[GoverningMeeting]:
    if not permissions.can_see_meetings(user):
        raise NotAllowed
    return GoverningMeeting.objects.annotate(n_decisions=Count("decisions")).order_by(
        "-held_on", "-id"
    )


def meeting_get(*, user: AnyUser, meeting_id: int) -> GoverningMeeting:
    if not permissions.can_see_meetings(user):
        raise NotAllowed
    return GoverningMeeting.objects.prefetch_related("minutes", "decisions").get(pk=meeting_id)


def corrections(*, kind: str, record_ids: list[int]) -> dict[int, list[Correction]]:
    """Each record's corrections, newest first (public like the records themselves; meeting
    and decision corrections are read only on pages that checked who is asking)."""
    found: dict[int, list[Correction]] = {pk: [] for pk in record_ids}
    for correction in Correction.objects.filter(kind=kind, record_id__in=record_ids).select_related(
        "recorded_by"
    ):
        found[correction.record_id].append(correction)
    return found


def all_corrections(*, kind: str) -> list[Correction]:
    return list(Correction.objects.filter(kind=kind).select_related("recorded_by"))
