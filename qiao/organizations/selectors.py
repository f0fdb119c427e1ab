"""Reads of organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from qiao.organizations.models import Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def organizations_managed_by(user: AnyUser) -> QuerySet[Organization]:
    """Organisations whose profiles this user may create and edit."""
    if not (user.is_authenticated and user.is_active):
        return Organization.objects.none()
    u: User = user
    if u.is_secretariat:
        return Organization.objects.all()
    managed = Q(pk=u.organization_id) if u.organization_id else Q(pk__in=[])
    if u.is_broker:
        managed |= Q(broker=u)
    return Organization.objects.filter(managed)


def organization_directory(
    *, query: str = "", kind: str = "", country: str = ""
) -> QuerySet[Organization]:
    """The public directory, with the number of published profiles of each organisation."""
    qs = Organization.objects.annotate(
        published_profiles=Count(
            # Anonymous profiles stay unattributed until an introduction.
            "profiles",
            filter=Q(profiles__status="published", profiles__anonymous=False),
        )
    )
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country=country)
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(name_zh__icontains=query)
            | Q(name_ru__icontains=query)
            | Q(name_en__icontains=query)
            | Q(city__icontains=query)
            | Q(region__icontains=query)
        )
    return qs.order_by("country", "id")
