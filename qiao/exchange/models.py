from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qiao.core.languages import ContentLanguage, pick_localized
from qiao.core.models import PrefetchingQuerySet, TimeStampedModel


class Sector(models.Model):
    """Trilingual sector taxonomy (two levels)."""

    code = models.CharField(
        _("code"),
        max_length=64,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9_-]+(\.[a-z0-9_-]+)?$",
                _("Use lower-case letters, digits, '-' or '_', with one '.' for a sub-sector."),
            )
        ],
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent sector"),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=128)
    name_ru = models.CharField(_("name (Russian)"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        names = {"zh": self.name_zh, "ru": self.name_ru, "en": self.name_en}
        return pick_localized(names, ui_language or get_language())


class ProfileKind(models.TextChoices):
    OFFER = "offer", _("Technology offer")
    REQUEST = "request", _("Technology request")


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")


class DevelopmentStage(models.TextChoices):
    CONCEPT = "concept", _("Concept / idea")
    RESEARCH = "research", _("Under research")
    LAB = "lab", _("Laboratory prototype")
    PROTOTYPE = "prototype", _("Field-tested prototype")
    PILOT = "pilot", _("Pilot production")
    MARKET = "market", _("Available on the market")


class IPRStatus(models.TextChoices):
    GRANTED = "granted", _("Patent granted")
    PENDING = "pending", _("Patent application pending")
    SECRET = "secret", _("Secret know-how")
    COPYRIGHT = "copyright", _("Copyright / software registration")
    NONE = "none", _("No protection")
    NOT_APPLICABLE = "n/a", _("Not applicable")


class PartnershipType(models.TextChoices):
    LICENCE = "licence", _("Licence agreement")
    ASSIGNMENT = "assignment", _("Assignment of rights")
    JOINT_RD = "joint_rd", _("Joint R&D")
    TECHNICAL_COOPERATION = "technical_cooperation", _("Technical cooperation")
    COMMERCIAL = "commercial", _("Commercial agreement with technical assistance")
    SERVICE = "service", _("Research or service contract")
    INVESTMENT = "investment", _("Investment / joint venture")
    TRAINING = "training", _("Training and education")


class Profile(TimeStampedModel):
    """A Technology Offer or Request, modelled on Enterprise Europe Network partnering profiles."""

    kind = models.CharField(_("type"), max_length=10, choices=ProfileKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProfileStatus.choices,
        default=ProfileStatus.DRAFT,
        db_index=True,
    )
    language = models.CharField(
        _("language of the text"), max_length=2, choices=ContentLanguage.choices
    )
    title = models.CharField(_("title"), max_length=256)
    summary = models.TextField(_("summary"), max_length=500)
    description = models.TextField(_("description"), max_length=4000)
    advantages = models.TextField(_("advantages and innovation"), max_length=4000, blank=True)
    technical_specification = models.TextField(
        _("technical specification or expertise sought"), max_length=4000, blank=True
    )
    development_stage = models.CharField(
        _("development stage"), max_length=12, choices=DevelopmentStage.choices
    )
    ipr_status = models.CharField(_("IPR status"), max_length=12, choices=IPRStatus.choices)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="profiles")
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    partnership_types = models.JSONField(_("partnership types sought"), default=list, blank=True)
    target_countries = models.JSONField(_("target countries"), default=list, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    interest_open = models.BooleanField(
        _("open for expressions of interest"),
        default=True,
        help_text=_("Other organisations may ask to be introduced to the owner."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("The owner organisation stays hidden until an introduction is approved."),
    )

    objects = PrefetchingQuerySet["Profile"].as_manager()

    class Meta:
        verbose_name = _("technology profile")
        verbose_name_plural = _("technology profiles")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ProfileStatus.PUBLISHED


class ProfileEvent(models.Model):
    """Audit trail of a profile's lifecycle: nothing is overwritten."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=ProfileStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ProfileStatus.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.from_status or '-'} → {self.to_status}"


class MatchStatus(models.TextChoices):
    NEW = "new", _("New")
    SEEN = "seen", _("Seen")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DISMISSED = "dismissed", _("Dismissed")


class Match(TimeStampedModel):
    """A scored pairing of a published offer and a published request."""

    offer = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="offer_matches", verbose_name=_("offer")
    )
    request = models.ForeignKey(
        Profile,
        on_delete=models.CASCADE,
        related_name="request_matches",
        verbose_name=_("request"),
    )
    score = models.FloatField(_("match quality"))
    explanation = models.JSONField(_("explanation"), default=dict)
    model_name = models.CharField(_("embedding model"), max_length=100)
    offer_status = models.CharField(
        _("status for the offer side"),
        max_length=12,
        choices=MatchStatus.choices,
        default=MatchStatus.NEW,
    )
    request_status = models.CharField(
        _("status for the request side"),
        max_length=12,
        choices=MatchStatus.choices,
        default=MatchStatus.NEW,
    )

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "request"], name="unique_match_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} ↔ {self.request_id} ({self.score:.0f})"
