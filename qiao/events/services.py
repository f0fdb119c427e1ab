"""Writes for events. Each service checks permission, validates, writes atomically and
notifies after commit. Capacity is counted under a row lock on the event; meeting slots are
guarded by the database (a partial unique index), so two requests racing for one slot cannot
both win."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.events import permissions
from qiao.events.models import (
    ACTIVE_MEETING,
    HOLDS_A_SEAT,
    AgendaItem,
    Event,
    Meeting,
    MeetingSeat,
    MeetingStatus,
    Registration,
    RegistrationStatus,
    Speaker,
)
from qiao.organizations.models import Organization


def _notify(meeting: Meeting, kind: str) -> None:
    from qiao.events.tasks import send_meeting_email

    meeting_id = meeting.pk
    transaction.on_commit(lambda: send_meeting_email.enqueue(meeting_id, kind))


# --- registration ----------------------------------------------------------------------------


def event_register(*, actor: User, event: Event) -> Registration:
    if not permissions.can_register(actor):
        raise NotAllowed(_("Sign in to register."))
    if event.ends_at <= timezone.now():
        raise ServiceError(_("This event is over; registration is closed."))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        existing = Registration.objects.filter(event=locked, user=actor).first()
        if existing is not None and existing.status in HOLDS_A_SEAT:
            raise ServiceError(_("You are already registered for this event."))
        if existing is not None and existing.status == RegistrationStatus.REJECTED:
            raise ServiceError(_("Your registration for this event was not accepted."))
        taken = locked.registrations.filter(status__in=HOLDS_A_SEAT).count()
        if taken >= locked.capacity:
            raise ServiceError(_("Sorry, the event is full."))
        registration = existing or Registration(event=locked, user=actor)
        registration.organization_id = actor.organization_id
        registration.status = (
            RegistrationStatus.PENDING if locked.requires_approval else RegistrationStatus.APPROVED
        )
        registration.reason = ""
        registration.save()
    return registration


def registration_cancel(*, actor: User, registration: Registration) -> Registration:
    if not permissions.can_cancel_registration(actor, registration):
        raise NotAllowed(_("You may not cancel this registration."))
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status not in HOLDS_A_SEAT:
            raise ServiceError(_("This registration is not active."))
        locked.status = RegistrationStatus.CANCELLED
        locked.attended_at = None
        locked.save()
    return locked


def registration_decide(
    *, actor: User, registration: Registration, approve: bool, reason: str = ""
) -> Registration:
    if not permissions.can_manage_event(actor):
        raise NotAllowed(_("Only the secretariat manages registrations."))
    reason = reason.strip()
    if not approve and not reason:
        raise ServiceError(_("Please give the reason for the refusal."))
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != RegistrationStatus.PENDING:
            raise ServiceError(_("This registration is not waiting for approval."))
        locked.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
        locked.reason = reason
        locked.save()
        from qiao.events.tasks import send_registration_email

        registration_id = locked.pk
        transaction.on_commit(lambda: send_registration_email.enqueue(registration_id))
    return locked


def attendance_set(*, actor: User, registration: Registration, attended: bool) -> Registration:
    if not permissions.can_manage_event(actor):
        raise NotAllowed(_("Only the secretariat records attendance."))
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != RegistrationStatus.APPROVED:
            raise ServiceError(_("Only registered participants can be marked as present."))
        locked.attended_at = timezone.now() if attended else None
        locked.save(update_fields=["attended_at", "updated_at"])
    return locked


# --- one-to-one meetings ---------------------------------------------------------------------


def _organisation_takes_part(event: Event, organization: Organization) -> bool:
    return Registration.objects.filter(
        event=event, organization=organization, status=RegistrationStatus.APPROVED
    ).exists()


def meeting_request(
    *, actor: User, event: Event, invitee: Organization, slot_start: datetime, message: str = ""
) -> Meeting:
    if not permissions.takes_part_in_meetings(actor, event):
        raise NotAllowed(
            _("Only representatives of registered organisations may request meetings.")
        )
    requester = actor.organization
    assert requester is not None  # takes_part_in_meetings checked it
    if invitee.pk == requester.pk:
        raise ServiceError(_("Choose another organisation than your own."))
    if not _organisation_takes_part(event, invitee):
        raise ServiceError(_("This organisation is not registered for the event."))
    if slot_start not in event.meeting_slots():
        raise ServiceError(_("This is not one of the event's meeting times."))
    busy = set(
        MeetingSeat.objects.filter(
            event=event, slot_start=slot_start, active=True, organization__in=[requester, invitee]
        ).values_list("organization_id", flat=True)
    )
    if requester.pk in busy:
        raise ServiceError(_("Your organisation already has a meeting at this time."))
    if invitee.pk in busy:
        raise ServiceError(_("The other organisation already has a meeting at this time."))
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                event=event,
                requester=requester,
                invitee=invitee,
                requested_by=actor,
                slot_start=slot_start,
                message=message.strip(),
            )
            MeetingSeat.objects.bulk_create(
                [
                    MeetingSeat(
                        meeting=meeting, event=event, organization=org, slot_start=slot_start
                    )
                    for org in (requester, invitee)
                ]
            )
            _notify(meeting, "requested")
    except IntegrityError as clash:
        # Another request took the slot between the check above and this insert.
        raise ServiceError(_("This time was just taken; please choose another one.")) from clash
    return meeting


def _close(meeting: Meeting, status: str, reason: str = "") -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status not in ACTIVE_MEETING:
        raise ServiceError(
            _("This meeting is already %(status)s.") % {"status": locked.get_status_display()}
        )
    locked.status = status
    locked.reason = reason
    locked.save(update_fields=["status", "reason", "updated_at"])
    if status not in ACTIVE_MEETING:
        MeetingSeat.objects.filter(meeting=locked).update(active=False)
    return locked


def meeting_accept(*, actor: User, meeting: Meeting) -> Meeting:
    if not permissions.can_respond_to_meeting(actor, meeting):
        raise NotAllowed(_("Only the invited organisation answers a meeting request."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.REQUESTED:
            raise ServiceError(
                _("This meeting is already %(status)s.") % {"status": locked.get_status_display()}
            )
        locked = _close(locked, MeetingStatus.ACCEPTED)
        _notify(locked, "accepted")
    return locked


def meeting_decline(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    if not permissions.can_respond_to_meeting(actor, meeting):
        raise NotAllowed(_("Only the invited organisation answers a meeting request."))
    with transaction.atomic():
        locked = _close(meeting, MeetingStatus.DECLINED, reason.strip())
        _notify(locked, "declined")
    return locked


def meeting_cancel(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    if not permissions.can_cancel_meeting(actor, meeting):
        raise NotAllowed(_("You may not cancel this meeting."))
    with transaction.atomic():
        locked = _close(meeting, MeetingStatus.CANCELLED, reason.strip())
        _notify(locked, "cancelled")
    return locked


# --- the programme of an event (secretariat) -------------------------------------------------


def event_save(*, actor: User, event: Event) -> Event:
    """Create or change an event; its capacity never drops below the places already taken."""
    if not permissions.can_manage_event(actor):
        raise NotAllowed(_("Only the secretariat manages events."))
    with transaction.atomic():
        if event.pk:
            Event.objects.select_for_update().get(pk=event.pk)
            taken = event.registrations.filter(status__in=HOLDS_A_SEAT).count()
            if event.capacity < taken:
                raise ServiceError(
                    _("%(taken)d places are already taken; the capacity cannot be lower.")
                    % {"taken": taken}
                )
        event.full_clean()
        event.save()
    return event


def speaker_add(*, actor: User, speaker: Speaker) -> Speaker:
    if not permissions.can_manage_event(actor):
        raise NotAllowed(_("Only the secretariat manages events."))
    with transaction.atomic():
        speaker.full_clean()
        speaker.save()
    return speaker


def agenda_item_add(*, actor: User, item: AgendaItem, speakers: list[Speaker]) -> AgendaItem:
    if not permissions.can_manage_event(actor):
        raise NotAllowed(_("Only the secretariat manages events."))
    event = item.event
    if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
        raise ValidationError(
            {"starts_at": _("The session must take place within the event's time.")}
        )
    if any(s.event_id != event.pk for s in speakers):
        raise ValidationError({"speakers": _("Choose speakers of this event.")})
    with transaction.atomic():
        item.full_clean()
        item.save()
        item.speakers.set(speakers)
    return item
