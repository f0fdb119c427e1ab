"""Writes for events. Each service checks permission, validates, writes atomically and
notifies after commit. Capacity is counted under a row lock on the event; meeting slots are
guarded by the database (a partial unique index), so two requests racing for one slot cannot
both win."""

from __future__ import annotations

from datetime import datetime, timedelta

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
    """In the caller's transaction: the notifications exist exactly when the change does (the
    e-mails leave after commit)."""
    from qiao.events.emails import send_meeting_email

    send_meeting_email(meeting, kind)


# --- registration ----------------------------------------------------------------------------


def event_register(*, actor: User, event: Event) -> Registration:
    if not permissions.can_register(actor):
        raise NotAllowed(_("Sign in to register."))
    _refuse_if_cancelled(event)
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
        from qiao.events.emails import send_registration_email

        send_registration_email(locked)
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
    _refuse_if_cancelled(event)
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


# --- the programme of an event (secretariat and the organiser) ------------------------------


def _refuse_if_cancelled(event: Event) -> None:
    # Asked of the database: the caller's copy of the event may be older than a cancellation.
    if event.cancelled_at is not None or (
        event.pk and Event.objects.filter(pk=event.pk, cancelled_at__isnull=False).exists()
    ):
        raise ServiceError(_("This event was cancelled."))


def _require_editor(actor: User, event: Event) -> None:
    if not permissions.can_edit_event(actor, event):
        raise NotAllowed(_("Only the organiser and the secretariat change this event."))
    _refuse_if_cancelled(event)


def event_save(*, actor: User, event: Event) -> Event:
    """Create (secretariat) or change (secretariat, organiser) an event; its capacity never
    drops below the places already taken, and only the secretariat names the organiser."""
    with transaction.atomic():
        if event.pk:
            stored = Event.objects.select_for_update().get(pk=event.pk)
            _require_editor(actor, stored)
            if not actor.is_secretariat and event.organizer_id != stored.organizer_id:
                raise NotAllowed(_("Only the secretariat names an event's organiser."))
            taken = stored.registrations.filter(status__in=HOLDS_A_SEAT).count()
            if event.capacity < taken:
                raise ServiceError(
                    _("%(taken)d places are already taken; the capacity cannot be lower.")
                    % {"taken": taken}
                )
        elif not permissions.can_manage_event(actor):
            raise NotAllowed(_("Only the secretariat manages events."))
        event.full_clean()
        event.save()
    return event


def speaker_save(*, actor: User, speaker: Speaker) -> Speaker:
    """Add a speaker to an event, or change one."""
    _require_editor(actor, speaker.event)
    with transaction.atomic():
        if speaker.pk and not Speaker.objects.filter(pk=speaker.pk, event=speaker.event).exists():
            raise NotAllowed(_("This speaker belongs to another event."))
        speaker.full_clean()
        speaker.save()
    return speaker


def speaker_add(*, actor: User, speaker: Speaker) -> Speaker:
    return speaker_save(actor=actor, speaker=speaker)


def speaker_remove(*, actor: User, speaker: Speaker) -> None:
    """The speaker leaves the event and every session of its agenda."""
    _require_editor(actor, speaker.event)
    with transaction.atomic():
        speaker.delete()


def _check_session(item: AgendaItem, speakers: list[Speaker]) -> None:
    event = item.event
    if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
        raise ValidationError(
            {"starts_at": _("The session must take place within the event's time.")}
        )
    if any(s.event_id != event.pk for s in speakers):
        raise ValidationError({"speakers": _("Choose speakers of this event.")})


def agenda_item_save(*, actor: User, item: AgendaItem, speakers: list[Speaker]) -> AgendaItem:
    """Add a session to the agenda, or change one (titles in three languages, times,
    speakers)."""
    _require_editor(actor, item.event)
    _check_session(item, speakers)
    with transaction.atomic():
        if item.pk and not AgendaItem.objects.filter(pk=item.pk, event=item.event).exists():
            raise NotAllowed(_("This session belongs to another event."))
        item.full_clean()
        item.save()
        item.speakers.set(speakers)
    return item


def agenda_item_add(*, actor: User, item: AgendaItem, speakers: list[Speaker]) -> AgendaItem:
    return agenda_item_save(actor=actor, item=item, speakers=speakers)


def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    _require_editor(actor, item.event)
    with transaction.atomic():
        item.delete()


def agenda_item_move(*, actor: User, item: AgendaItem, earlier: bool) -> AgendaItem:
    """Swap a session with the one before (or after) it: the two exchange places in the
    programme, each keeping its length, and the pause between them is kept."""
    _require_editor(actor, item.event)
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=item.event_id)
        agenda = list(AgendaItem.objects.filter(event_id=item.event_id).order_by("starts_at", "id"))
        index = next(i for i, other in enumerate(agenda) if other.pk == item.pk)
        neighbour = index - 1 if earlier else index + 1
        if not 0 <= neighbour < len(agenda):
            raise ServiceError(
                _("This session is already the first.")
                if earlier
                else _("This session is already the last.")
            )
        first, second = sorted((agenda[index], agenda[neighbour]), key=lambda a: a.starts_at)
        pause = max(second.starts_at - first.ends_at, timedelta(0))
        start = first.starts_at
        second_length = second.ends_at - second.starts_at
        first_length = first.ends_at - first.starts_at
        second.starts_at, second.ends_at = start, start + second_length
        first.starts_at = second.ends_at + pause
        first.ends_at = first.starts_at + first_length
        for moved in (first, second):
            moved.full_clean()
            moved.save(update_fields=["starts_at", "ends_at"])
    return next(a for a in (first, second) if a.pk == item.pk)


def event_cancel(*, actor: User, event: Event, reason: str) -> Event:
    """Cancel an event: registration closes, its one-to-one meetings are cancelled, and every
    participant holding a place is told by e-mail in their own language. Registrations and
    meetings stay in the history."""
    if not permissions.can_edit_event(actor, event):
        raise NotAllowed(_("Only the organiser and the secretariat change this event."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Please give the reason for the cancellation."))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _refuse_if_cancelled(locked)
        locked.cancelled_at = timezone.now()
        locked.cancellation_reason = reason
        locked.save(update_fields=["cancelled_at", "cancellation_reason", "updated_at"])
        active = Meeting.objects.filter(event=locked, status__in=ACTIVE_MEETING)
        MeetingSeat.objects.filter(meeting__in=active).update(active=False)
        active.update(status=MeetingStatus.CANCELLED, reason=reason, updated_at=timezone.now())
        from qiao.events.emails import send_cancellation_emails

        send_cancellation_emails(locked)
    return locked
