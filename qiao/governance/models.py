"""Alliance governance: charter versions adopted by vote, council positions and their terms,
the expert committee, and general-assembly and council meetings with agenda, minutes and
decisions. Append-only by design: a new charter or minutes text is a new version, a new
holder closes the previous term; nothing is overwritten."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.core.languages import pick_localized
from qiao.organizations.models import Organization


def _has_text(prefix: str, name: str, message: Any) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=~Q(**{f"{prefix}_zh": ""})
        | ~Q(**{f"{prefix}_ru": ""})
        | ~Q(**{f"{prefix}_en": ""}),
        name=name,
        violation_error_message=message,
    )


class Trilingual(models.Model):
    """Helpers for the *_zh / *_ru / *_en field triples of a model."""

    class Meta:
        abstract = True

    def localized(self, stem: str, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        values = {code: getattr(self, f"{stem}_{code}") for code in ("zh", "ru", "en")}
        return pick_localized(values, ui_language or get_language())


class VoteResult(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")


class Votes(models.Model):
    votes_for = models.PositiveIntegerField(_("votes for"))
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstained = models.PositiveIntegerField(_("abstentions"), default=0)
    result = models.CharField(_("result"), max_length=16, choices=VoteResult.choices)

    class Meta:
        abstract = True


class CharterVersion(Trilingual, Votes):
    version = models.PositiveIntegerField(_("version"), unique=True)
    text_zh = models.TextField(_("text (Chinese)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    vote_date = models.DateField(_("date of the vote"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["-version"]
        constraints = [
            _has_text(
                "text",
                "charter_version_has_text",
                _("Write the charter in at least one language."),
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    def text(self) -> str:
        return self.localized("text")


class CouncilPosition(models.TextChoices):
    CHAIR = "chair", _("Chair")
    EXECUTIVE_CHAIR = "executive_chair", _("Executive chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    COUNCIL_MEMBER = "council_member", _("Council member")


# Positions held by one person at a time; the others (vice-chairs, members) by several.
SINGLE_HOLDER = (
    CouncilPosition.CHAIR,
    CouncilPosition.EXECUTIVE_CHAIR,
    CouncilPosition.SECRETARY_GENERAL,
)


class CouncilTerm(models.Model):
    position = models.CharField(
        pgettext_lazy("alliance", "position"), max_length=32, choices=CouncilPosition.choices
    )
    holder_name = models.CharField(_("holder"), max_length=128)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_terms",
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("council term")
        verbose_name_plural = _("council terms")
        ordering = ["position", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="council_term_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(ends_on__isnull=True)
                & Q(position__in=[p.value for p in SINGLE_HOLDER]),
                name="one_current_holder_of_single_positions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.holder_name}"

    @property
    def is_current(self) -> bool:
        return self.ends_on is None


class ExpertMember(Trilingual):
    name = models.CharField(pgettext_lazy("alliance", "name"), max_length=128)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
    )
    field_zh = models.CharField(_("field (Chinese)"), max_length=255, blank=True)
    field_ru = models.CharField(_("field (Russian)"), max_length=255, blank=True)
    field_en = models.CharField(_("field (English)"), max_length=255, blank=True)
    starts_on = models.DateField(_("member since"))
    ends_on = models.DateField(_("member until"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("expert committee member")
        verbose_name_plural = _("expert committee members")
        ordering = ["name", "id"]
        constraints = [
            _has_text(
                "field",
                "expert_has_a_field",
                _("Write the field of expertise in at least one language."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="expert_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def field(self) -> str:
        return self.localized("field")


class MeetingKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
    COUNCIL = "council", _("Council meeting")


class GoverningMeeting(Trilingual):
    kind = models.CharField(_("kind"), max_length=32, choices=MeetingKind.choices)
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    title_zh = models.CharField(
        pgettext_lazy("alliance", "title (Chinese)"), max_length=255, blank=True
    )
    title_ru = models.CharField(
        pgettext_lazy("alliance", "title (Russian)"), max_length=255, blank=True
    )
    title_en = models.CharField(
        pgettext_lazy("alliance", "title (English)"), max_length=255, blank=True
    )
    agenda_zh = models.TextField(_("agenda (Chinese)"), blank=True)
    agenda_ru = models.TextField(_("agenda (Russian)"), blank=True)
    agenda_en = models.TextField(_("agenda (English)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("governing meeting")
        verbose_name_plural = _("governing meetings")
        ordering = ["-held_on", "-id"]
        constraints = [
            _has_text(
                "title",
                "governing_meeting_has_a_title",
                _("Write the title in at least one language."),
            ),
            _has_text(
                "agenda",
                "governing_meeting_has_an_agenda",
                _("Write the agenda in at least one language."),
            ),
        ]

    def __str__(self) -> str:
        return self.title()

    def title(self) -> str:
        return self.localized("title")

    def agenda(self) -> str:
        return self.localized("agenda")


class MinutesVersion(Trilingual):
    meeting = models.ForeignKey(
        GoverningMeeting,
        on_delete=models.CASCADE,
        related_name="minutes",
        verbose_name=_("meeting"),
    )
    version = models.PositiveIntegerField(_("version"))
    text_zh = models.TextField(_("minutes (Chinese)"), blank=True)
    text_ru = models.TextField(_("minutes (Russian)"), blank=True)
    text_en = models.TextField(_("minutes (English)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["-version"]
        constraints = [
            _has_text(
                "text",
                "minutes_have_text",
                _("Write the minutes in at least one language."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "version"], name="one_minutes_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"

    def text(self) -> str:
        return self.localized("text")


class Decision(Trilingual, Votes):
    meeting = models.ForeignKey(
        GoverningMeeting,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    number = models.PositiveIntegerField(_("number"))
    text_zh = models.TextField(_("decision (Chinese)"), blank=True)
    text_ru = models.TextField(_("decision (Russian)"), blank=True)
    text_en = models.TextField(_("decision (English)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            _has_text(
                "text",
                "decision_has_text",
                _("Write the decision in at least one language."),
            ),
            models.UniqueConstraint(fields=["meeting", "number"], name="one_decision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.number}"

    def text(self) -> str:
        return self.localized("text")


class RecordKind(models.TextChoices):
    CHARTER = "charter", _("Charter version")
    COUNCIL = "council", _("Council term")
    EXPERT = "expert", _("Expert committee member")
    MEETING = "meeting", pgettext_lazy("governance", "Meeting")
    DECISION = "decision", pgettext_lazy("alliance", "Decision")


RECORD_MODELS: dict[str, type[models.Model]] = {
    RecordKind.CHARTER: CharterVersion,
    RecordKind.COUNCIL: CouncilTerm,
    RecordKind.EXPERT: ExpertMember,
    RecordKind.MEETING: GoverningMeeting,
    RecordKind.DECISION: Decision,
}


class Correction(models.Model):
    """A correction of a governance record (a typo, a translation added, a miscounted vote):
    the record shows the corrected values, and this row keeps the values it replaced, who
    corrected them, when and why. Corrections are only ever added; governance records are
    never deleted (the admin is read-only), so `record_id` needs no foreign key."""

    kind = models.CharField(_("record"), max_length=16, choices=RecordKind.choices)
    record_id = models.PositiveIntegerField()
    # {field name: the value it had before, as text}
    previous = models.JSONField(default=dict)
    reason = models.TextField(_("reason for the correction"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "record_id"], name="correction_of_record")]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} ({self.created_at:%Y-%m-%d})"

    def previous_values(self) -> list[tuple[str, str]]:
        """(field label, earlier value) in the reader's language."""
        model = RECORD_MODELS[self.kind]
        rows = []
        for name, value in self.previous.items():
            field = model._meta.get_field(name)
            label = str(getattr(field, "verbose_name", name))
            choices = dict(getattr(field, "choices", None) or [])
            if value == "":
                shown = "—"
            elif isinstance(field, models.DateField) and not isinstance(
                field, models.DateTimeField
            ):
                shown = date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")  # stored ISO
            else:
                shown = str(choices.get(value, value))
            rows.append((label, shown))
        return rows
