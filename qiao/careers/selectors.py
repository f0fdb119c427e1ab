"""Reads of the careers app. Every selector takes the acting user and returns only what that
user may see (qiao.careers.permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from qiao.careers import permissions, ranking
from qiao.careers.models import (
    Application,
    Posting,
    PostingStatus,
    TalentProfile,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


# --- postings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingFilters:
    kind: str = ""
    country: str = ""
    language: str = ""
    housing: bool = False
    visa_support: bool = False
    # the candidate's levels: keep only postings whose minimum levels they meet
    levels: dict[str, int] | None = None


def postings_visible_to(user: AnyUser) -> QuerySet[Posting]:
    qs = Posting.objects.select_related("employer")
    u = _active(user)
    public = Q(status__in=permissions.PUBLIC_POSTING_STATUSES)
    if u is None:
        return qs.filter(public)
    if u.is_secretariat:
        return qs
    if u.organization_id:
        return qs.filter(public | Q(employer_id=u.organization_id))
    return qs.filter(public)


def posting_get(*, user: AnyUser, posting_id: int) -> Posting:
    return postings_visible_to(user).get(pk=posting_id)


def _filter_postings(qs: QuerySet[Posting], filters: PostingFilters) -> QuerySet[Posting]:
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.housing:
        qs = qs.filter(housing=True)
    if filters.visa_support:
        qs = qs.filter(visa_support=True)
    if filters.levels is not None:
        qs = qs.filter(
            min_chinese__lte=filters.levels["zh"],
            min_russian__lte=filters.levels["ru"],
            min_english__lte=filters.levels["en"],
        )
    return qs


def postings_open(*, user: AnyUser, filters: PostingFilters) -> QuerySet[Posting]:
    return _filter_postings(
        postings_visible_to(user).filter(status=PostingStatus.PUBLISHED), filters
    ).order_by("-published_at", "-id")


def postings_search(
    *, user: AnyUser, query: str, filters: PostingFilters, k: int = 30
) -> list[tuple[Posting, float]]:
    """Published postings for a query in any of the three languages, best first."""
    from django.conf import settings

    from qiao.search.collections.careers import NAME, posting_key
    from qiao.search.selectors import ids_filter, search_text

    allowed = {posting_key(p.pk): p for p in postings_open(user=user, filters=filters)}
    if not allowed or not query.strip():
        return []
    hits = search_text(collection=NAME, query=query, filters=ids_filter(allowed), k=k)
    return [
        (allowed[h.doc_id], round(float(h.score), 1))
        for h in hits
        if h.doc_id in allowed and h.score >= settings.QIAO_SEARCH_MIN_QUALITY
    ]


def postings_managed_by(user: AnyUser) -> QuerySet[Posting]:
    u = _active(user)
    if u is None:
        return Posting.objects.none()
    qs = Posting.objects.select_related("employer")
    if u.is_secretariat:
        return qs
    if u.organization_id:
        return qs.filter(employer_id=u.organization_id)
    return Posting.objects.none()


def review_queue(*, user: AnyUser) -> QuerySet[Posting]:
    if not permissions.can_review_postings(user):
        return Posting.objects.none()
    return (
        Posting.objects.select_related("employer")
        .filter(status=PostingStatus.SUBMITTED)
        .order_by("submitted_at", "id")
    )


# --- talent profiles -------------------------------------------------------------------------


def talent_profiles_visible_to(user: AnyUser) -> QuerySet[TalentProfile]:
    """The personal-data rule of qiao.careers.permissions, as one query."""
    qs = TalentProfile.objects.select_related("user", "institution")
    u = _active(user)
    if u is None:
        return qs.none()
    if u.is_secretariat:
        return qs
    visible = Q(user_id=u.pk)
    org_id = u.organization_id
    if org_id:
        applied = Application.objects.filter(
            candidate_id=OuterRef("user_id"), posting__employer_id=org_id
        )
        visible |= Q(institution_id=org_id) | Q(Exists(applied)) | Q(allowed_employers=org_id)
        if Posting.objects.filter(employer_id=org_id, status=PostingStatus.PUBLISHED).exists():
            visible |= Q(in_talent_pool=True)
    return qs.filter(visible).distinct()


def talent_profile_get(*, user: AnyUser, profile_id: int) -> TalentProfile:
    return talent_profiles_visible_to(user).get(pk=profile_id)


def own_talent_profile(user: AnyUser) -> TalentProfile | None:
    u = _active(user)
    if u is None:
        return None
    return TalentProfile.objects.select_related("institution").filter(user=u).first()


@dataclass(frozen=True)
class CandidateFilters:
    study_level: str = ""
    institution_country: str = ""
    meets_requirements: bool = False


def candidates_for_posting(
    *, user: AnyUser, posting: Posting, filters: CandidateFilters, k: int = 50
) -> list[ranking.Fit]:
    """Candidates the viewer may see, ranked for the posting (requirements met first)."""
    if not permissions.can_see_applicants(user, posting):
        return []
    profiles = talent_profiles_visible_to(user).filter(user__is_active=True)
    if filters.study_level:
        profiles = profiles.filter(study_level=filters.study_level)
    if filters.institution_country:
        profiles = profiles.filter(institution__country=filters.institution_country)
    fits = ranking.rank_candidates(posting, list(profiles), k=k)
    if filters.meets_requirements:
        fits = [f for f in fits if f.meets_requirements]
    return fits


@dataclass(frozen=True)
class TalentFilters:
    study_level: str = ""
    institution_country: str = ""
    min_chinese: int = 0
    min_russian: int = 0
    min_english: int = 0


def talent_search(
    *, user: AnyUser, query: str, filters: TalentFilters, k: int = 50
) -> list[tuple[TalentProfile, float | None]]:
    """Profiles the user may see, filtered, ranked by a query in any of the three languages
    (newest first without a query)."""
    u = _active(user)
    if u is None or not (u.is_secretariat or u.organization_id):
        return []
    profiles = talent_profiles_visible_to(u).filter(
        user__is_active=True,
        chinese_level__gte=filters.min_chinese,
        russian_level__gte=filters.min_russian,
        english_level__gte=filters.min_english,
    )
    if filters.study_level:
        profiles = profiles.filter(study_level=filters.study_level)
    if filters.institution_country:
        profiles = profiles.filter(institution__country=filters.institution_country)
    if not query.strip():
        return [(p, None) for p in profiles.order_by("-updated_at", "-id")[:k]]
    return list(ranking.search_candidates(query, list(profiles), k=k))


def postings_for_candidate(
    *, user: AnyUser, filters: PostingFilters, k: int = 50
) -> list[ranking.Fit]:
    profile = own_talent_profile(user)
    if profile is None:
        return []
    postings = list(postings_open(user=user, filters=filters))
    return ranking.rank_postings(profile, postings, k=k)


# --- applications ----------------------------------------------------------------------------


def applications_visible_to(user: AnyUser) -> QuerySet[Application]:
    qs = Application.objects.select_related("posting__employer", "candidate")
    u = _active(user)
    if u is None:
        return qs.none()
    if u.is_secretariat:
        return qs
    visible = Q(candidate_id=u.pk)
    if u.organization_id:
        visible |= Q(posting__employer_id=u.organization_id) | Q(
            candidate__talent_profile__institution_id=u.organization_id
        )
    return qs.filter(visible)


def application_get(*, user: AnyUser, application_id: int) -> Application:
    return applications_visible_to(user).get(pk=application_id)


def applications_of_candidate(user: AnyUser) -> QuerySet[Application]:
    u = _active(user)
    if u is None:
        return Application.objects.none()
    return Application.objects.select_related("posting__employer").filter(candidate=u)


def applicants_board(*, user: AnyUser, posting: Posting) -> QuerySet[Application]:
    if not permissions.can_see_applicants(user, posting):
        return Application.objects.none()
    return (
        Application.objects.filter(posting=posting)
        .select_related("candidate__talent_profile__institution")
        .order_by("created_at", "id")
    )
