"""Co-built specialties and "Chinese + vocational skills" programmes, and the students'
applications to them (received → under review → offer → accepted / declined, with reasons)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.alliance.models import Specialty
from qiao.core.languages import ContentLanguage, pick_localized
from qiao.core.models import TimeStampedModel
from qiao.organizations.models import Organization


class ProgrammeKind(models.TextChoices):
    CO_BUILT = "co_built", _("Co-built specialty")
    CHINESE_PLUS_DEGREE = "chinese_plus_degree", _("“Chinese + vocational skills” degree")
    CHINESE_PLUS_SHORT = "chinese_plus_short", _("“Chinese + vocational skills” short course")
    CHINESE_PLUS_LONG = "chinese_plus_long", _("“Chinese + vocational skills” long training")


class Level(models.TextChoices):
    SECONDARY = "secondary", _("Secondary vocational")
    HIGHER_VOCATIONAL = "higher_vocational", _("Higher vocational")
    BACHELOR = "bachelor", _("Bachelor")
    TRAINING = "training", _("Training course")


class Torfl(models.IntegerChoices):
    """ТРКИ levels, ordered so that a higher number is a higher level."""

    ELEMENTARY = 1, _("ТРКИ elementary (A1)")
    BASIC = 2, _("ТРКИ basic (A2)")
    FIRST = 3, _("ТРКИ-1 (B1)")
    SECOND = 4, _("ТРКИ-2 (B2)")
    THIRD = 5, _("ТРКИ-3 (C1)")
    FOURTH = 6, _("ТРКИ-4 (C2)")


HSK_LEVELS = [(n, f"HSK {n}") for n in range(1, 10)]  # HSK 3.0 has nine levels


class Programme(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    level = models.CharField(_("level"), max_length=32, choices=Level.choices)
    title_zh = models.CharField(
        pgettext_lazy("alliance", "title (Chinese)"), max_length=255, blank=True
    )
    title_ru = models.CharField(
        pgettext_lazy("alliance", "title (Russian)"), max_length=255, blank=True
    )
    title_en = models.CharField(
        pgettext_lazy("alliance", "title (English)"), max_length=255, blank=True
    )
    description = models.TextField(_("description"), max_length=4000)
    description_language = models.CharField(
        _("language of the description"), max_length=2, choices=ContentLanguage.choices
    )
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    lead = models.ForeignKey(
        Organization,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="programmes_led",
    )
    partners = models.ManyToManyField(
        Organization, verbose_name=_("partner institutions"), blank=True, related_name="programmes"
    )
    instruction_languages = models.JSONField(_("languages of instruction"), default=list)
    duration_months = models.PositiveSmallIntegerField(_("duration in months"))
    quota = models.PositiveIntegerField(_("places"))
    hsk_required = models.PositiveSmallIntegerField(
        _("HSK level required"), choices=HSK_LEVELS, null=True, blank=True
    )
    torfl_required = models.PositiveSmallIntegerField(
        _("ТРКИ level required"), choices=Torfl.choices, null=True, blank=True
    )
    other_requirements = models.TextField(
        _("other entry requirements"), max_length=2000, blank=True
    )
    open_for_applications = models.BooleanField(_("open for applications"), default=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_ru="") | ~Q(title_en=""),
                name="programme_has_a_title",
                violation_error_message=_("Write the title in at least one language."),
            ),
            models.CheckConstraint(condition=Q(quota__gt=0), name="programme_has_places"),
            models.CheckConstraint(
                condition=Q(duration_months__gt=0), name="programme_has_a_duration"
            ),
        ]

    def __str__(self) -> str:
        return self.title()

    def title(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        values = {"zh": self.title_zh, "ru": self.title_ru, "en": self.title_en}
        return pick_localized(values, ui_language or get_language())

    def instruction_language_labels(self) -> list[str]:
        return [str(ContentLanguage(c).label) for c in self.instruction_languages]


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("application status", "Received")
    UNDER_REVIEW = "under_review", _("Under review")
    OFFER = "offer", _("Offer made")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", pgettext_lazy("alliance", "Declined")


OPEN_STATUSES = (
    ApplicationStatus.RECEIVED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.OFFER,
)


class StudentApplication(TimeStampedModel):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("programme"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_applications",
        verbose_name=_("student"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
    )
    motivation = models.TextField(_("motivation"), max_length=4000)
    motivation_language = models.CharField(
        _("language of the motivation"), max_length=2, choices=ContentLanguage.choices
    )
    hsk_level = models.PositiveSmallIntegerField(
        _("your HSK level"), choices=HSK_LEVELS, null=True, blank=True
    )
    torfl_level = models.PositiveSmallIntegerField(
        _("your ТРКИ level"), choices=Torfl.choices, null=True, blank=True
    )
    # Set when the student declines an offer or the institution declines the application.
    declined_by_student = models.BooleanField(default=False, verbose_name=_("declined by student"))

    class Meta:
        verbose_name = _("student application")
        verbose_name_plural = _("student applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "student"],
                condition=Q(status__in=["received", "under_review", "offer"]),
                name="one_open_application_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.programme}"


class ApplicationStep(models.Model):
    """Every status change, by whom and why: the reasons are never overwritten."""

    application = models.ForeignKey(
        StudentApplication, on_delete=models.CASCADE, related_name="steps"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
