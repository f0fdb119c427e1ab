"""Who may see and do what at alliance events.

- Events, agendas and speakers: everyone, including anonymous visitors.
- Register: any signed-in user (students as individuals, representatives for their
  organisation); cancel: the participant or the secretariat.
- Create an event; approve or refuse registrations, record attendance, see the participant
  list with names: the secretariat only.
- Change an event (texts, times, capacity), its agenda and speakers, or cancel it: the
  secretariat and the representatives of the event's organiser.
- One-to-one meetings: representatives of organisations with an approved registration may
  request them with other such organisations; the invitee's representatives accept or decline;
  either side's representatives cancel; the two sides and the secretariat see a meeting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from qiao.events.models import Event, Meeting, Registration, RegistrationStatus

if TYPE_CHECKING:
    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def can_register(user: AnyUser) -> bool:
    return _user(user) is not None


def can_manage_event(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.is_secretariat


def can_edit_event(user: AnyUser, event: Event) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.is_secretariat:
        return True
    return u.organization_id is not None and u.organization_id == event.organizer_id


def can_cancel_registration(user: AnyUser, registration: Registration) -> bool:
    u = _user(user)
    return u is not None and (u.is_secretariat or registration.user_id == u.pk)


def takes_part_in_meetings(user: AnyUser, event: Event) -> bool:
    """A representative whose organisation has an approved registration at the event."""
    u = _user(user)
    if u is None or u.organization_id is None:
        return False
    return Registration.objects.filter(
        event=event,
        user=u,
        organization_id=u.organization_id,
        status=RegistrationStatus.APPROVED,
    ).exists()


def can_view_meeting(user: AnyUser, meeting: Meeting) -> bool:
    u = _user(user)
    if u is None:
        return False
    return u.is_secretariat or u.organization_id in (meeting.requester_id, meeting.invitee_id)


def can_respond_to_meeting(user: AnyUser, meeting: Meeting) -> bool:
    u = _user(user)
    return u is not None and u.organization_id == meeting.invitee_id


def can_cancel_meeting(user: AnyUser, meeting: Meeting) -> bool:
    u = _user(user)
    if u is None:
        return False
    return u.is_secretariat or u.organization_id in (meeting.requester_id, meeting.invitee_id)
