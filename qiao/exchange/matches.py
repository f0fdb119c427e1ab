"""Stored matches between published offers and requests, refreshed when a profile is indexed
(qiao.search calls `matches_refresh` once the profile's documents are committed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from qiao.exchange.models import Match, MatchStatus, Profile, ProfileKind, ProfileStatus
from qiao.exchange.signals import profile_indexed
from qiao.search.collections import profiles as profiles_collection
from qiao.search.selectors import explanation_json, search_model, search_similar


@dataclass(frozen=True)
class RankedProfile:
    profile: Profile
    score: float
    explanation: dict[str, object]


def _opposite(kind: str) -> str:
    return ProfileKind.REQUEST if kind == ProfileKind.OFFER else ProfileKind.OFFER


def matches_refresh(*, profile_ids: Sequence[int]) -> None:
    """Bring the stored matches in line with each profile's current state: a published one
    gets its top matches upserted; one no longer published loses the pairs nobody touched."""
    published = {
        p.pk: p for p in Profile.objects.filter(pk__in=profile_ids, status=ProfileStatus.PUBLISHED)
    }
    for profile_id in profile_ids:
        profile = published.get(profile_id)
        if profile is None:
            _drop_untouched(profile_id)
        else:
            _store(profile)
    for profile_id in sorted(published):  # the index holds them now: saved searches may run
        profile_indexed.send(sender=Profile, profile_id=profile_id)


def _drop_untouched(profile_id: int) -> None:
    for side in ("offer_id", "request_id"):
        Match.objects.filter(
            **{side: profile_id}, offer_status=MatchStatus.NEW, request_status=MatchStatus.NEW
        ).delete()


def _store(profile: Profile) -> None:
    """Upsert this profile's top matches; drop untouched pairs that fell out of the top list."""
    results = search_similar(
        collection=profiles_collection.NAME,
        doc_id=str(profile.pk),
        filters={"kind": frozenset({_opposite(profile.kind)})},
        k=settings.QIAO_MATCHES_PER_PROFILE,
    )
    is_offer = profile.kind == ProfileKind.OFFER
    model_name = search_model()
    live_ids = set(
        Profile.objects.filter(
            pk__in=[int(r.doc_id) for r in results], status=ProfileStatus.PUBLISHED
        ).values_list("pk", flat=True)
    )
    kept = [(int(r.doc_id), r) for r in results if int(r.doc_id) in live_ids]
    rows = [
        Match(
            offer_id=profile.pk if is_offer else other_id,
            request_id=other_id if is_offer else profile.pk,
            score=round(float(r.score), 2),
            explanation={
                **explanation_json(r.explanation),
                "query_side": "offer" if is_offer else "request",
            },
            model_name=model_name,
        )
        for other_id, r in kept
    ]
    own, other = ("offer_id", "request_id") if is_offer else ("request_id", "offer_id")
    with transaction.atomic():
        # One statement for the whole list; the statuses people set stay as they are.
        Match.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["offer", "request"],
            update_fields=["score", "explanation", "model_name", "updated_at"],
        )
        Match.objects.filter(
            **{own: profile.pk}, offer_status=MatchStatus.NEW, request_status=MatchStatus.NEW
        ).exclude(**{f"{other}__in": [other_id for other_id, _ in kept]}).delete()
