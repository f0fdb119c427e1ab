"""Alliance events: trilingual agenda and speakers, registration with capacity and optional
approval, attendance, and one-to-one meetings between participating organisations whose time
slots can never clash (a partial unique index on the seats each meeting takes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.core.languages import ContentLanguage, pick_localized
from qiao.core.models import TimeStampedModel
from qiao.organizations.models import Organization


def _localized(obj: object, stem: str, ui_language: str | None) -> str:
    from django.utils.translation import get_language

    values = {code: getattr(obj, f"{stem}_{code}") for code in ("zh", "ru", "en")}
    return pick_localized(values, ui_language or get_language())


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    SEMINAR = "seminar", _("Seminar")
    EXCHANGE = "exchange", _("Exchange event")


class Event(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title_zh = models.CharField(
        pgettext_lazy("alliance", "title (Chinese)"), max_length=255, blank=True
    )
    title_ru = models.CharField(
        pgettext_lazy("alliance", "title (Russian)"), max_length=255, blank=True
    )
    title_en = models.CharField(
        pgettext_lazy("alliance", "title (English)"), max_length=255, blank=True
    )
    summary_zh = models.TextField(_("summary (Chinese)"), max_length=4000, blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), max_length=4000, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=4000, blank=True)
    venue = models.CharField(_("venue"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    requires_approval = models.BooleanField(_("registration needs approval"), default=False)
    # One-to-one meetings run in fixed slots inside this window.
    meetings_start = models.DateTimeField(_("one-to-one meetings from"), null=True, blank=True)
    meetings_end = models.DateTimeField(_("one-to-one meetings until"), null=True, blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(_("minutes per meeting"), default=20)
    # The member organisation that organises the event: its representatives change the event,
    # its agenda and speakers, like the secretariat.
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.TextField(
        _("reason for the cancellation"), max_length=2000, blank=True
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="event_has_capacity",
                violation_error_message=_("Give the number of places."),
            ),
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_ru="") | ~Q(title_en=""),
                name="event_has_a_title",
                violation_error_message=_("Write the title in at least one language."),
            ),
            models.CheckConstraint(
                condition=(Q(meetings_start__isnull=True) & Q(meetings_end__isnull=True))
                | (
                    Q(meetings_start__isnull=False)
                    & Q(meetings_end__isnull=False)
                    & Q(meetings_end__gt=F("meetings_start"))
                ),
                name="event_meeting_window_is_valid",
                violation_error_message=_(
                    "Give both ends of the meeting window, the end after the start."
                ),
            ),
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=5), name="event_meetings_last_5_minutes_or_more"
            ),
        ]

    def __str__(self) -> str:
        return self.title()

    def title(self, ui_language: str | None = None) -> str:
        return _localized(self, "title", ui_language)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def summary(self, ui_language: str | None = None) -> str:
        return _localized(self, "summary", ui_language)

    def meeting_slots(self) -> list[datetime]:
        if self.meetings_start is None or self.meetings_end is None:
            return []
        step = timedelta(minutes=self.meeting_minutes)
        slots = []
        slot = self.meetings_start
        while slot + step <= self.meetings_end:
            slots.append(slot)
            slot += step
        return slots


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(pgettext_lazy("alliance", "name"), max_length=128)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    bio = models.TextField(_("biography"), max_length=2000, blank=True)
    bio_language = models.CharField(
        _("language of the biography"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.EN,
    )

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class AgendaKind(models.TextChoices):
    KEYNOTE = "keynote", _("Keynote")
    SEMINAR = "seminar", _("Seminar")
    DIALOGUE = "dialogue", _("High-level dialogue")
    CEREMONY = "ceremony", _("Ceremony")
    MEETINGS = "meetings", _("One-to-one meetings")
    BREAK = "break", _("Break")


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    kind = models.CharField(_("kind"), max_length=16, choices=AgendaKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title_zh = models.CharField(
        pgettext_lazy("alliance", "title (Chinese)"), max_length=255, blank=True
    )
    title_ru = models.CharField(
        pgettext_lazy("alliance", "title (Russian)"), max_length=255, blank=True
    )
    title_en = models.CharField(
        pgettext_lazy("alliance", "title (English)"), max_length=255, blank=True
    )
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="agenda_items")

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="agenda_item_ends_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_ru="") | ~Q(title_en=""),
                name="agenda_item_has_a_title",
                violation_error_message=_("Write the title in at least one language."),
            ),
        ]

    def __str__(self) -> str:
        return self.title()

    def title(self, ui_language: str | None = None) -> str:
        return _localized(self, "title", ui_language)


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Registered")
    REJECTED = "rejected", _("Not accepted")
    CANCELLED = "cancelled", _("Cancelled")


# Registrations that hold a seat.
HOLDS_A_SEAT = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


class Registration(TimeStampedModel):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("user"),
    )
    # The organisation the participant represents at this event (none for students).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_user"),
            models.CheckConstraint(
                condition=Q(attended_at__isnull=True) | Q(status="approved"),
                name="only_registered_participants_attend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", pgettext_lazy("alliance", "Declined")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_MEETING = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)


class Meeting(TimeStampedModel):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    requester = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="meetings_requested",
        verbose_name=_("requester"),
    )
    invitee = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="meetings_invited",
        verbose_name=_("invitee"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    slot_start = models.DateTimeField(_("time"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.REQUESTED,
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("one-to-one meeting")
        verbose_name_plural = _("one-to-one meetings")
        ordering = ["slot_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("invitee")), name="meeting_between_two_organisations"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} ↔ {self.invitee} {self.slot_start:%H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_MEETING


class MeetingSeat(models.Model):
    """One row per organisation per meeting: the database refuses two active seats of one
    organisation in the same slot, whichever side of the meeting it is on."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    slot_start = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "slot_start"],
                condition=Q(active=True),
                name="one_meeting_per_organisation_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.slot_start:%H:%M}"
