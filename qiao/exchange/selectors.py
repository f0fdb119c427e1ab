"""Reads of technology profiles and matches. Every selector takes the acting user and returns
only what that user may see (qiao.exchange.permissions)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet

from qiao.exchange.matches import RankedProfile
from qiao.exchange.models import Match, Profile, ProfileStatus, Sector
from qiao.search.collections import profiles as profiles_collection
from qiao.search.selectors import explanation_json, search_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class ProfileFilters:
    kind: str = ""
    country: str = ""
    sector: str = ""
    stage: str = ""
    language: str = ""
    organization_id: int | None = None

    def engine_filters(self) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for key, value in (
            ("kind", self.kind),
            ("country", self.country),
            ("sector", self.sector),
            ("stage", self.stage),
            ("language", self.language),
        ):
            if value:
                out[key] = frozenset({value})
        if self.organization_id:
            out["organization"] = frozenset({str(self.organization_id)})
        return out


@dataclass(frozen=True)
class SearchResults:
    query: str
    items: list[RankedProfile] = field(default_factory=list)


def _base() -> QuerySet[Profile]:
    return Profile.objects.select_related("organization").prefetch_related("sectors")


def profiles_visible_to(user: AnyUser) -> QuerySet[Profile]:
    qs = _base()
    if not (user.is_authenticated and user.is_active):
        return qs.filter(status=ProfileStatus.PUBLISHED)
    u: User = user
    if u.is_secretariat:
        return qs
    visible = Q(status=ProfileStatus.PUBLISHED)
    if u.organization_id:
        visible |= Q(organization_id=u.organization_id)
    if u.is_broker:
        visible |= Q(organization__broker=u) | ~Q(status=ProfileStatus.DRAFT)
    return qs.filter(visible)


def profile_get(*, user: AnyUser, profile_id: int) -> Profile:
    return profiles_visible_to(user).get(pk=profile_id)


def _apply_filters(qs: QuerySet[Profile], filters: ProfileFilters) -> QuerySet[Profile]:
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(organization__country=filters.country)
    if filters.sector:
        qs = qs.filter(Q(sectors__code=filters.sector) | Q(sectors__parent__code=filters.sector))
    if filters.stage:
        qs = qs.filter(development_stage=filters.stage)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.organization_id:
        qs = qs.filter(organization_id=filters.organization_id)
    return qs.distinct()


def _hide_anonymous(
    qs: QuerySet[Profile], user: AnyUser, filters: ProfileFilters
) -> QuerySet[Profile]:
    """Listing an organisation's profiles must not reveal which anonymous ones are its own,
    except to its managers, technology managers and the secretariat."""
    if not filters.organization_id:
        return qs
    if user.is_authenticated and user.is_active:
        u: User = user
        if u.can_review or u.organization_id == filters.organization_id:
            return qs
    return qs.filter(anonymous=False)


def profile_list(
    *, user: AnyUser, filters: ProfileFilters, status: str | None = None
) -> QuerySet[Profile]:
    """Every profile the user may see (drafts included for their own), filtered."""
    qs = profiles_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    return _hide_anonymous(_apply_filters(qs, filters), user, filters)


def profile_list_published(*, user: AnyUser, filters: ProfileFilters) -> QuerySet[Profile]:
    qs = profiles_visible_to(user).filter(status=ProfileStatus.PUBLISHED)
    return _hide_anonymous(_apply_filters(qs, filters), user, filters)


def profile_search(
    *, user: AnyUser, query: str, filters: ProfileFilters, k: int = 20
) -> SearchResults:
    """Semantic + keyword search over published profiles, query in any of the three languages."""
    query = query.strip()
    if not query:
        items = [
            RankedProfile(profile=p, score=0.0, explanation={})
            for p in profile_list_published(user=user, filters=filters)[:k]
        ]
        return SearchResults(query="", items=items)
    hits = search_text(
        collection=profiles_collection.NAME, query=query, filters=filters.engine_filters(), k=k
    )
    found = profiles_visible_to(user).filter(
        pk__in=[int(h.doc_id) for h in hits], status=ProfileStatus.PUBLISHED
    )
    by_id = {p.pk: p for p in _hide_anonymous(found, user, filters)}
    items = [
        RankedProfile(
            profile=by_id[int(h.doc_id)],
            score=float(h.score),
            explanation=explanation_json(h.explanation),
        )
        for h in hits
        if int(h.doc_id) in by_id and h.score >= settings.QIAO_SEARCH_MIN_QUALITY
    ]
    return SearchResults(query=query, items=items)


def review_queue(*, user: AnyUser) -> QuerySet[Profile]:
    if not (user.is_authenticated and getattr(user, "can_review", False)):
        return Profile.objects.none()
    return _base().filter(status=ProfileStatus.SUBMITTED).order_by("submitted_at", "id")


def matches_visible_to(user: AnyUser) -> QuerySet[Match]:
    qs = Match.objects.select_related("offer__organization", "request__organization")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    u: User = user
    if u.can_review:
        return qs
    own = Q(offer__organization_id=u.organization_id) | Q(
        request__organization_id=u.organization_id
    )
    return qs.filter(own) if u.organization_id else qs.none()


def matches_for_profile(*, user: AnyUser, profile: Profile) -> QuerySet[Match]:
    return (
        matches_visible_to(user)
        .filter(Q(offer=profile) | Q(request=profile))
        .filter(offer__status=ProfileStatus.PUBLISHED, request__status=ProfileStatus.PUBLISHED)
        .order_by("-score", "id")
    )


def matches_for_organization(
    *, user: AnyUser, organization_id: int, statuses: Collection[str] = ()
) -> QuerySet[Match]:
    qs = matches_visible_to(user).filter(
        Q(offer__organization_id=organization_id) | Q(request__organization_id=organization_id),
        offer__status=ProfileStatus.PUBLISHED,
        request__status=ProfileStatus.PUBLISHED,
    )
    if statuses:
        qs = qs.filter(Q(offer_status__in=statuses) | Q(request_status__in=statuses))
    return qs.order_by("-score", "id")


def match_get(*, user: AnyUser, match_id: int) -> Match:
    return matches_visible_to(user).get(pk=match_id)


def sectors_tree() -> list[tuple[Sector, list[Sector]]]:
    sectors = list(Sector.objects.all())
    top = [s for s in sectors if s.parent_id is None]
    return [(t, [s for s in sectors if s.parent_id == t.pk]) for t in top]


def platform_counts() -> dict[str, int]:
    published = Profile.objects.filter(status=ProfileStatus.PUBLISHED)
    from qiao.organizations.models import Organization

    return {
        "offers": published.filter(kind="offer").count(),
        "requests": published.filter(kind="request").count(),
        "organizations": Organization.objects.count(),
        "matches": Match.objects.filter(
            offer__status=ProfileStatus.PUBLISHED, request__status=ProfileStatus.PUBLISHED
        ).count(),
        "languages": published.values("language").distinct().count(),
    }
