"""Background work: just another interface onto the same code."""

from __future__ import annotations

from django_tasks import task

from qiao.events import emails
from qiao.events.models import Event, Meeting, Registration


@task()
def send_meeting_email(meeting_id: int, kind: str) -> None:
    meeting = Meeting.objects.select_related("event", "requester", "invitee").get(pk=meeting_id)
    emails.send_meeting_email(meeting, kind)


@task()
def send_registration_email(registration_id: int) -> None:
    registration = Registration.objects.select_related("event", "user").get(pk=registration_id)
    emails.send_registration_email(registration)


@task()
def send_cancellation_emails(event_id: int) -> int:
    return emails.send_cancellation_emails(Event.objects.get(pk=event_id))
