"""Reads of teaching resources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from qiao.resources.models import Authorship, AuthorStatus, Resource, ResourceChange

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class ResourceFilters:
    query: str = ""
    language: str = ""
    specialty: str = ""
    level: str = ""


def resource_list(*, filters: ResourceFilters) -> list[tuple[Resource, float | None]]:
    """Filtered resources; with a query, ranked by the engine across languages."""
    qs: QuerySet[Resource] = (
        Resource.objects.filter(withdrawn_at__isnull=True)
        .select_related("specialty")
        .prefetch_related("organizations")
    )
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.specialty:
        qs = qs.filter(specialty__code=filters.specialty)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.query.strip():
        return _ranked(filters.query, list(qs))
    return [(resource, None) for resource in qs.order_by("-updated_at", "-id")]


def _ranked(
    query: str, resources: list[Resource], k: int = 20
) -> list[tuple[Resource, float | None]]:
    """The resources that fit the query best (through whichever language version fits),
    with their 0–100 match quality."""
    from django.conf import settings

    from qiao.search.collections.resources import NAME, resource_pk_of
    from qiao.search.selectors import search_text

    by_pk = {r.pk: r for r in resources}
    if not by_pk:
        return []
    hits = search_text(
        collection=NAME,
        query=query,
        filters={"resource": frozenset(str(pk) for pk in by_pk)},
        k=k * 3,
    )
    best: dict[int, float] = {}
    for hit in hits:
        pk = resource_pk_of(hit.doc_id)
        if pk in by_pk and hit.score >= settings.QIAO_SEARCH_MIN_QUALITY:
            best.setdefault(pk, hit.score)  # hits come best first
    return [(by_pk[pk], round(score)) for pk, score in list(best.items())[:k]]


def resource_get(*, resource_id: int) -> Resource:
    return (
        Resource.objects.select_related("specialty")
        .prefetch_related(
            "organizations",
            "versions__created_by",
            "authors__user",
            Prefetch("changes", queryset=ResourceChange.objects.select_related("actor")),
        )
        .get(pk=resource_id)
    )


def invitations_for(*, user: AnyUser) -> QuerySet[Authorship]:
    if not user.is_authenticated:
        return Authorship.objects.none()
    return Authorship.objects.filter(
        user_id=user.pk, status=AuthorStatus.INVITED, resource__withdrawn_at__isnull=True
    ).select_related("resource", "invited_by")
