"""Saved searches: a query in any language plus filters, with e-mail alerts of new profiles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qiao.core.models import TimeStampedModel


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SavedSearch(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(_("search"), max_length=500, blank=True)
    kind = models.CharField(_("type"), max_length=10, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    sector = models.CharField(_("sector"), max_length=64, blank=True)
    stage = models.CharField(_("development stage"), max_length=12, blank=True)
    language = models.CharField(_("written in"), max_length=2, blank=True)
    frequency = models.CharField(
        _("alerts"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    active = models.BooleanField(_("alerts on"), default=True)
    # Profiles published up to this moment have been considered for alerts.
    checked_until = models.DateTimeField(verbose_name=_("checked until"))
    last_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last sent at"))

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["active", "frequency", "checked_until"])]

    def __str__(self) -> str:
        return self.name


class AlertDelivery(models.Model):
    """A profile sent to a saved search's owner: each profile is sent once per search, whether
    by the immediate alert on publication or by a scheduled run."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="deliveries")
    profile = models.ForeignKey("exchange.Profile", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search", "profile"], name="alert_once_per_profile")
        ]

    def __str__(self) -> str:
        return f"{self.search_id} ← {self.profile_id}"
