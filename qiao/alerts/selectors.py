"""Reads of saved searches, and the new profiles that match one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from qiao.alerts.models import SavedSearch
from qiao.exchange.models import Profile
from qiao.exchange.selectors import ProfileFilters, profile_list_published, profile_search

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

# Search depth for a saved query: new profiles are few, but they must be among the hits.
ALERT_SEARCH_DEPTH = 200
MAX_PROFILES_PER_ALERT = 20


def saved_searches_of(user: User | AnonymousUser) -> QuerySet[SavedSearch]:
    if not (user.is_authenticated and user.is_active):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user_id=user.pk)


def filters_of(search: SavedSearch) -> ProfileFilters:
    return ProfileFilters(
        kind=search.kind,
        country=search.country,
        sector=search.sector,
        stage=search.stage,
        language=search.language,
    )


def new_profiles_for(search: SavedSearch, *, since: datetime, until: datetime) -> list[Profile]:
    """Profiles published in (since, until] that the search finds and its owner may see."""
    filters = filters_of(search)
    if search.query.strip():
        hits = profile_search(
            user=search.user, query=search.query, filters=filters, k=ALERT_SEARCH_DEPTH
        ).items
        found = [
            item.profile
            for item in hits
            if item.profile.published_at and since < item.profile.published_at <= until
        ]
    else:
        found = list(
            profile_list_published(user=search.user, filters=filters)
            .filter(published_at__gt=since, published_at__lte=until)
            .order_by("-published_at", "id")
        )
    return found[:MAX_PROFILES_PER_ALERT]


def search_finds(search: SavedSearch, profile: Profile) -> bool:
    """Whether the saved search finds this published profile for its owner (same rules as
    new_profiles_for: the owner's visibility, the filters, the query among the top hits)."""
    filters = filters_of(search)
    if search.query.strip():
        hits = profile_search(
            user=search.user, query=search.query, filters=filters, k=ALERT_SEARCH_DEPTH
        ).items
        return any(item.profile.pk == profile.pk for item in hits)
    return profile_list_published(user=search.user, filters=filters).filter(pk=profile.pk).exists()
