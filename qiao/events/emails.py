"""Meeting notices, each recipient in their own preferred language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.events.models import HOLDS_A_SEAT, Event, Meeting, Registration, RegistrationStatus
from qiao.notifications.services import notify
from qiao.organizations.models import Organization

KINDS = ("requested", "accepted", "declined", "cancelled")


def _recipients(meeting: Meeting, organization: Organization) -> list[User]:
    registered = Registration.objects.filter(
        event=meeting.event, organization=organization, status=RegistrationStatus.APPROVED
    ).values("user_id")
    return list(User.objects.filter(pk__in=registered, is_active=True))


def send_meeting_email(meeting: Meeting, kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown e-mail kind {kind!r}; valid: {', '.join(KINDS)}")
    # A request goes to the invitee; every answer goes back to the requester.
    to = meeting.invitee if kind == "requested" else meeting.requester
    other = meeting.requester if kind == "requested" else meeting.invitee
    url = settings.BASE_URL.rstrip("/") + reverse("events:meetings", args=[meeting.event_id])
    for user in _recipients(meeting, to):
        with translation.override(user.preferred_language):
            when = timezone.localtime(meeting.slot_start).strftime("%Y-%m-%d %H:%M")
            values = {
                "organisation": other.display_name(),
                "event": meeting.event.title(),
                "time": when,
            }
            subject = {
                "requested": _("%(organisation)s asks for a meeting at %(time)s"),
                "accepted": _("%(organisation)s accepted your meeting at %(time)s"),
                "declined": _("%(organisation)s declined your meeting at %(time)s"),
                "cancelled": _("The meeting with %(organisation)s at %(time)s was cancelled"),
            }[kind] % values
            body = "\n\n".join(
                line
                for line in (
                    _("Event: %(event)s") % values,
                    meeting.message if kind == "requested" else meeting.reason,
                    _("Your meetings: %(url)s") % {"url": url},
                )
                if line
            )
        notify(recipient=user, subject=subject, body=body + "\n", url=url)


def send_registration_email(registration: Registration) -> None:
    """The secretariat's decision on a registration that needed approval."""
    user = registration.user
    with translation.override(user.preferred_language):
        values = {"event": registration.event.title()}
        if registration.status == RegistrationStatus.APPROVED:
            subject = _("Your registration for %(event)s is confirmed") % values
            body = _("You are registered for %(event)s.") % values
        else:
            subject = _("Your registration for %(event)s was not accepted") % values
            body = _("Reason: %(reason)s") % {"reason": registration.reason}
        url = settings.BASE_URL.rstrip("/") + reverse("events:detail", args=[registration.event_id])
        body = f"{body}\n\n{url}\n"
    notify(recipient=user, subject=subject, body=body, url=url)


def send_cancellation_emails(event: Event) -> int:
    """Everyone who held a place (registered or waiting for approval) hears of the
    cancellation in their own language; returns how many were told."""
    registrations = event.registrations.filter(
        status__in=HOLDS_A_SEAT, user__is_active=True
    ).select_related("user")
    url = settings.BASE_URL.rstrip("/") + reverse("events:detail", args=[event.pk])
    sent = 0
    for registration in registrations:
        user = registration.user
        with translation.override(user.preferred_language):
            when = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
            values = {"event": event.title(), "time": when}
            subject = _("%(event)s on %(time)s is cancelled") % values
            body = "\n\n".join(
                (
                    _("We are sorry: %(event)s, planned for %(time)s, will not take place.")
                    % values,
                    _("Reason: %(reason)s") % {"reason": event.cancellation_reason},
                    url,
                )
            )
        notify(recipient=user, subject=subject, body=body + "\n", url=url)
        sent += 1
    return sent
