"""Reads of programmes and applications; application reads take the acting user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from qiao.core.errors import NotAllowed
from qiao.programmes import permissions
from qiao.programmes.models import ApplicationStatus, Programme, StudentApplication

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class CatalogueFilters:
    kind: str = ""
    level: str = ""
    language: str = ""
    specialty: str = ""


def catalogue(*, filters: CatalogueFilters) -> QuerySet[Programme]:
    qs = (
        Programme.objects.select_related("lead", "specialty")
        .prefetch_related("partners")
        .annotate(
            places_taken=Count(
                "applications",
                filter=Q(
                    applications__status__in=[ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED]
                ),
            )
        )
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.specialty:
        qs = qs.filter(specialty__code=filters.specialty)
    if filters.language:
        # JSON "contains" is not portable to SQLite; the list is short, match its text.
        qs = qs.filter(instruction_languages__icontains=f'"{filters.language}"')
    return qs.order_by("-open_for_applications", "-created_at", "-id")


def applications_of_student(*, user: AnyUser) -> QuerySet[StudentApplication]:
    if not user.is_authenticated:
        return StudentApplication.objects.none()
    return (
        StudentApplication.objects.filter(student_id=user.pk)
        .select_related("programme")
        .prefetch_related("steps")
    )


def applications_to_programme(
    *, user: AnyUser, programme: Programme, status: str = ""
) -> QuerySet[StudentApplication]:
    if not permissions.runs_programme(user, programme):
        raise NotAllowed
    qs = StudentApplication.objects.filter(programme=programme).select_related("student")
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def application_get(*, user: AnyUser, application_id: int) -> StudentApplication:
    application = StudentApplication.objects.select_related("programme", "student").get(
        pk=application_id
    )
    if not permissions.can_view_application(user, application):
        raise StudentApplication.DoesNotExist
    return application
