from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qiao.core.languages import ContentLanguage, pick_localized
from qiao.core.models import TimeStampedModel


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    HIGHER_VOCATIONAL = "higher_vocational", _("Higher-vocational college")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary-vocational school")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    ASSOCIATION = "association", _("Association")
    GOVERNMENT = "government", _("Government body")
    OTHER = "other", _("Other")


class Country(models.TextChoices):
    CN = "CN", _("China")
    RU = "RU", _("Russia")
    KZ = "KZ", _("Kazakhstan")
    BY = "BY", _("Belarus")
    MN = "MN", _("Mongolia")
    OTHER = "ZZ", _("Other country")


class Organization(TimeStampedModel):
    # Stable reference used by import files and the demo loader; optional for hand-made records.
    key = models.SlugField(
        _("key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Short stable identifier used in import files, e.g. harbin-tech-market."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=255, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("region"), max_length=128, blank=True)
    city = models.CharField(_("city"), max_length=128, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    description_language = models.CharField(
        _("language of the description"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.EN,
    )
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technology manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokered_organizations",
        help_text=_("The technology manager who looks after this organisation's profiles."),
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Demo content, not a real record.")
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_ru="") | ~Q(name_en=""),
                name="organization_has_a_name",
            )
        ]

    def __str__(self) -> str:
        return self.display_name()

    def names(self) -> dict[str, str]:
        return {"zh": self.name_zh, "ru": self.name_ru, "en": self.name_en}

    def display_name(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        return pick_localized(self.names(), ui_language or get_language())
