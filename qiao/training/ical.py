"""A person's training sessions as an RFC 5545 iCalendar file (the `icalendar` package).

Times are written in UTC (`...Z`), which every calendar shows in its owner's zone; the
session's own zone is named in the description so nobody is surprised by the shift."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from qiao.core.names import user_name
from qiao.training.models import Session
from qiao.training.selectors import session_times


def sessions_ical(sessions: Iterable[Session]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Qiao//Technology-manager training//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Technology-manager training"))
    base = settings.BASE_URL.rstrip("/")
    host = urlsplit(base).hostname or "qiao"
    now = timezone.now()
    for session in sessions:
        times = session_times(session, session.time_zone)
        event = Event()
        event.add("uid", f"training-session-{session.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"{session.title()} · {session.cohort.title()}")
        event.add("location", session.place or session.online_link)
        url = base + reverse("training:session", args=[session.pk])
        event.add("url", url)
        lecturers = "; ".join(
            f"{user_name(lecturer.user)} ({lecturer.organization.display_name()})"
            for lecturer in session.lecturers.all()
        )
        lines = [
            _("Module: %(module)s") % {"module": session.module.title()},
            _("Local time: %(start)s–%(end)s (%(zone)s)")
            % {
                "start": times.local_start,
                "end": times.local_end[-5:],
                "zone": session.get_time_zone_display(),
            },
        ]
        if lecturers:
            lines.append(_("Lecturers: %(names)s") % {"names": lecturers})
        if session.online_link:
            lines.append(_("Online: %(link)s") % {"link": session.online_link})
        lines.append(url)
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
