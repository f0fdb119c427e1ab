"""Reads of alliance membership; each takes the acting user where visibility depends on it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from qiao.alliance import permissions, regions
from qiao.alliance.models import (
    ApplicationStatus,
    MemberCategory,
    Membership,
    MembershipApplication,
    MembershipStatus,
    ProspectStage,
    Specialty,
    member_category,
)
from qiao.core.errors import NotAllowed
from qiao.organizations.models import Country, Organization, OrganizationKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class DirectoryFilters:
    query: str = ""
    kind: str = ""
    country: str = ""
    region: str = ""
    specialty: str = ""


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


@dataclass
class Composition:
    total: int = 0
    categories: list[Facet] = field(default_factory=list)
    kinds: list[Facet] = field(default_factory=list)
    countries: list[Facet] = field(default_factory=list)
    regions: list[Facet] = field(default_factory=list)
    specialties: list[Facet] = field(default_factory=list)
    chinese_regions: int = 0


def members() -> QuerySet[Membership]:
    return Membership.objects.filter(status=MembershipStatus.MEMBER)


def member_directory(*, filters: DirectoryFilters) -> QuerySet[Membership]:
    qs = members().select_related("organization")
    if filters.kind:
        qs = qs.filter(organization__kind=filters.kind)
    if filters.country:
        qs = qs.filter(organization__country=filters.country)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.specialty:
        qs = qs.filter(specialties__code=filters.specialty)
    query = filters.query.strip()
    if query:
        qs = qs.filter(
            Q(organization__name_zh__icontains=query)
            | Q(organization__name_ru__icontains=query)
            | Q(organization__name_en__icontains=query)
            | Q(organization__city__icontains=query)
        )
    return qs.prefetch_related(
        Prefetch("specialties", queryset=Specialty.objects.order_by("code"))
    ).order_by("organization__country", "region", "organization_id")


def composition(qs: QuerySet[Membership] | None = None) -> Composition:
    """Counts by category, kind, country, region and specialty: three queries, any size."""
    qs = members() if qs is None else qs
    rows = list(qs.order_by().values_list("organization__country", "organization__kind", "region"))
    result = Composition(total=len(rows))
    categories: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    region_counts: Counter[str] = Counter()
    for country, kind, region in rows:
        categories[member_category(Organization(country=country, kind=kind))] += 1
        kinds[kind] += 1
        countries[country] += 1
        if region:
            region_counts[region] += 1
    result.categories = [
        Facet(c.value, str(c.label), categories[c.value])
        for c in MemberCategory
        if categories[c.value]
    ]
    result.kinds = [
        Facet(k.value, str(k.label), kinds[k.value]) for k in OrganizationKind if kinds[k.value]
    ]
    result.countries = [
        Facet(c.value, str(c.label), countries[c.value]) for c in Country if countries[c.value]
    ]
    result.regions = sorted(
        (Facet(code, regions.region_name(code), n) for code, n in region_counts.items()),
        key=lambda f: (-f.count, f.value),
    )
    result.chinese_regions = sum(1 for code in region_counts if code.startswith("CN-"))
    specialty_counts = (
        Specialty.objects.filter(memberships__in=qs.order_by().values("pk"))
        .annotate(n=Count("memberships", distinct=True))
        .order_by("-n", "code")
    )
    result.specialties = [Facet(s.code, s.display_name(), s.n) for s in specialty_counts]
    return result


def member_profile(*, organization_id: int) -> Membership:
    """A member's public page. Raises Membership.DoesNotExist for non-members."""
    return (
        members()
        .select_related("organization")
        .prefetch_related("specialties")
        .get(organization_id=organization_id)
    )


def applications_for_review(*, user: AnyUser, status: str = "") -> QuerySet[MembershipApplication]:
    if not permissions.can_review_applications(user):
        raise NotAllowed
    qs = MembershipApplication.objects.annotate(n_documents=Count("documents"))
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def application_for_review(*, user: AnyUser, application_id: int) -> MembershipApplication:
    if not permissions.can_review_applications(user):
        raise NotAllowed
    return MembershipApplication.objects.prefetch_related("documents", "specialties").get(
        pk=application_id
    )


def application_counts() -> dict[str, int]:
    rows = MembershipApplication.objects.values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in ApplicationStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


@dataclass
class PipelineColumn:
    stage: str
    label: str
    prospects: list[Membership]


def prospect_pipeline(*, user: AnyUser) -> list[PipelineColumn]:
    if not permissions.can_manage_prospects(user):
        raise NotAllowed
    prospects = (
        Membership.objects.filter(status=MembershipStatus.PROSPECTIVE)
        .select_related("organization")
        .order_by("organization_id")
    )
    columns = {
        stage.value: PipelineColumn(stage.value, str(stage.label), []) for stage in ProspectStage
    }
    for prospect in prospects:
        columns[prospect.stage or ProspectStage.IDENTIFIED].prospects.append(prospect)
    return list(columns.values())
