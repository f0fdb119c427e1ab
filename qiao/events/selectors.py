"""Reads for events; visibility-dependent reads take the acting user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from qiao.core.errors import NotAllowed
from qiao.events import permissions
from qiao.events.models import (
    HOLDS_A_SEAT,
    AgendaItem,
    Event,
    Meeting,
    MeetingSeat,
    Registration,
    RegistrationStatus,
)
from qiao.organizations.models import Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def event_list() -> QuerySet[Event]:
    return Event.objects.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_A_SEAT))
    ).order_by("-starts_at", "id")


def event_get(*, event_id: int) -> Event:
    return (
        event_list()
        .select_related("organizer")
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.prefetch_related("speakers").order_by(
                    "starts_at", "id"
                ),
            ),
            "speakers",
        )
        .get(pk=event_id)
    )


def registration_of(*, user: AnyUser, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user_id=user.pk).first()


def participating_organizations(*, event: Event) -> list[Organization]:
    return list(
        Organization.objects.filter(
            event_registrations__event=event,
            event_registrations__status=RegistrationStatus.APPROVED,
        )
        .distinct()
        .order_by("id")
    )


def registrations_for_management(*, user: AnyUser, event: Event) -> QuerySet[Registration]:
    if not permissions.can_manage_event(user):
        raise NotAllowed
    return (
        Registration.objects.filter(event=event)
        .select_related("user", "organization")
        .order_by("status", "created_at", "id")
    )


def meetings_of(*, organization: Organization, event: Event) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(event=event)
        .filter(Q(requester=organization) | Q(invitee=organization))
        .select_related("requester", "invitee")
        .order_by("slot_start", "id")
    )


def busy_slots(*, event: Event, organizations: list[Organization]) -> set[datetime]:
    return set(
        MeetingSeat.objects.filter(
            event=event, organization__in=organizations, active=True
        ).values_list("slot_start", flat=True)
    )


def free_slots(*, event: Event, organizations: list[Organization]) -> list[datetime]:
    """Meeting times at which none of these organisations has a meeting yet."""
    busy = busy_slots(event=event, organizations=organizations)
    return [slot for slot in event.meeting_slots() if slot not in busy]


@dataclass(frozen=True)
class Suggestion:
    organization: Organization
    score: float
    shared_terms: tuple[str, ...]


def suggest_partners(
    organization: Organization, participants: list[Organization], *, k: int = 5
) -> list[Suggestion]:
    """Meeting partners among the other participants, ranked by the matching engine: their
    descriptions, in whatever language each wrote, against one's own."""
    from qiao.search.collections.organisations import NAME, organisation_document
    from qiao.search.selectors import ids_filter, search_match

    others = {str(o.pk): o for o in participants if o.pk != organization.pk and o.description}
    if not organization.description or not others:
        return []
    hits = search_match(
        collection=NAME,
        document=organisation_document(organization),
        filters=ids_filter(others),
        k=k,
    )
    return [
        Suggestion(others[h.doc_id], round(h.score), h.explanation.shared_terms[:5])
        for h in hits
        if h.doc_id in others
    ]
