"""Expressions of interest, introductions and the deal pipeline that follows them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qiao.core.languages import ContentLanguage, pick_localized
from qiao.core.models import TimeStampedModel
from qiao.core.storage import private_storage as private_storage  # named in migrations


class InterestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the technology manager")
    APPROVED = "approved", _("Introduced")
    DECLINED = "declined", _("Declined")


class Interest(TimeStampedModel):
    """An organisation asks to be introduced to the owner of a published profile."""

    profile = models.ForeignKey(
        "exchange.Profile",
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("interested organisation"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    message = models.TextField(_("message"), max_length=2000)
    language = models.CharField(
        _("language of the message"), max_length=2, choices=ContentLanguage.choices
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InterestStatus.choices,
        default=InterestStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per organisation and profile; declined ones may be retried.
            models.UniqueConstraint(
                fields=["profile", "organization"],
                condition=~Q(status="declined"),
                name="one_live_interest_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.profile}"


class PassReason(models.TextChoices):
    TOO_EARLY = "too_early", _("Too early: the technology is not mature enough")
    BENEFIT_UNCLEAR = "benefit_unclear", _("The benefit is unclear")
    COMMERCIAL_ROUTE_UNCLEAR = "commercial_unclear", _("The commercial route is unclear")
    DESCRIPTION_VAGUE = "description_vague", _("The description is too vague")
    NOT_OUR_FIELD = "not_our_field", _("Not our field")
    OTHER = "other", _("Other")


class Pass(models.Model):
    """An organisation passed on a profile, with a structured reason reported to the owner."""

    profile = models.ForeignKey(
        "exchange.Profile",
        on_delete=models.CASCADE,
        related_name="passes",
        verbose_name=_("profile"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=PassReason.choices)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "organization"], name="one_pass_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ✗ {self.profile}: {self.reason}"


class DealStage(models.TextChoices):
    INTRODUCED = "introduced", _("Introduced")
    FIRST_CONTACT = "first_contact", _("First contact")
    NDA = "nda", _("Non-disclosure agreement")
    NEGOTIATION = "negotiation", _("Due diligence and negotiation")
    AGREEMENT = "agreement", _("Agreement")
    IMPLEMENTATION = "implementation", _("Implementation")
    CLOSED_WON = "closed_won", _("Closed: won")
    CLOSED_LOST = "closed_lost", _("Closed: lost")


# The pipeline's order; the two closed stages are both final.
STAGE_ORDER: tuple[str, ...] = tuple(DealStage.values)
OPEN_STAGES: tuple[str, ...] = STAGE_ORDER[:6]
CLOSED_STAGES: tuple[str, ...] = (DealStage.CLOSED_WON, DealStage.CLOSED_LOST)


class AgreementType(models.TextChoices):
    LICENCE = "licence", _("Licence")
    ASSIGNMENT = "assignment", _("Assignment")
    JOINT_RD = "joint_rd", _("Joint R&D")
    SERVICE = "service", _("Service contract")
    INVESTMENT = "investment", _("Investment")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    CNY = "CNY", _("Chinese yuan (CNY)")
    RUB = "RUB", _("Russian rouble (RUB)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")


class ChecklistItem(models.Model):
    """A service-standard step of a stage, configured by the secretariat."""

    stage = models.CharField(
        _("stage"), max_length=20, choices=DealStage.choices[: len(OPEN_STAGES)]
    )
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_ru = models.CharField(_("label (Russian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    required = models.BooleanField(
        _("required"), default=True, help_text=_("A deal cannot leave the stage while it is open.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        ordering = ["stage", "position", "id"]

    def __str__(self) -> str:
        return self.label()

    def label(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        names = {"zh": self.label_zh, "ru": self.label_ru, "en": self.label_en}
        return pick_localized(names, ui_language or get_language())


class Deal(TimeStampedModel):
    """A transfer in progress between a profile's owner and an introduced organisation."""

    interest = models.OneToOneField(
        Interest, verbose_name=_("introduction"), on_delete=models.PROTECT, related_name="deal"
    )
    profile = models.ForeignKey(
        "exchange.Profile", verbose_name=_("profile"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("profile owner"),
        on_delete=models.PROTECT,
        related_name="owned_deals",
    )
    partner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="partner_deals",
    )
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technology manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=DealStage.choices,
        default=DealStage.INTRODUCED,
        db_index=True,
    )
    stage_entered_at = models.DateTimeField(_("in this stage since"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    reminder_sent_for = models.DateField(
        _("reminder sent for deadline"), null=True, blank=True, editable=False
    )
    agreement_type = models.CharField(
        _("agreement type"), max_length=12, choices=AgreementType.choices, blank=True
    )
    agreement_value = models.DecimalField(
        _("agreement value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_value__isnull=True) | ~Q(currency=""),
                name="deal_value_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(agreement_value__isnull=True) | Q(agreement_value__gte=0),
                name="deal_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} ↔ {self.partner}: {self.profile}"

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES


class DealStep(models.Model):
    """A checklist step ticked for one deal (existence means done)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deal", "item"], name="one_step_per_deal_item")
        ]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.item}"


class DealNote(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


def _date_display(value: str) -> str:
    try:
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:
        return value


# What deals.services records for an agreement: "<type>[ <value> <currency>][ <signed on>]".
_AGREEMENT_SUMMARY = re.compile(
    r"^(?P<type>[a-z_]+)(?: (?P<value>-?[0-9.]+) (?P<currency>[A-Z]{3}))?"
    r"(?: (?P<signed>[0-9]{4}-[0-9]{2}-[0-9]{2}))?$"
)


def _agreement_display(value: str) -> str:
    found = _AGREEMENT_SUMMARY.match(value)
    if found is None or found["type"] not in AgreementType.values:
        return value
    parts = [str(AgreementType(found["type"]).label)]
    if found["value"]:
        amount = number_format(Decimal(found["value"]), decimal_pos=2, force_grouping=True)
        parts.append(f"{amount} {found['currency']}")
    if found["signed"]:
        parts.append(gettext("signed on %(date)s") % {"date": _date_display(found["signed"])})
    return " · ".join(parts)


def _document_path(instance: DealDocument, filename: str) -> str:
    return f"deals/{instance.deal_id}/{filename}"


class DealDocument(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=private_storage, upload_to=_document_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class DealEventKind(models.TextChoices):
    OPENED = "opened", _("Deal opened")
    STAGE = "stage", _("Stage changed")
    STEP = "step", _("Checklist step")
    DEADLINE = "deadline", _("Deadline")
    AGREEMENT = "agreement", _("Agreement")
    NOTE = "note", _("Note added")
    DOCUMENT = "document", _("Document added")
    REMINDER = "reminder", _("Reminder sent")


class DealEvent(models.Model):
    """Audit trail: who changed what and when. Rows are only ever added."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=DealEventKind.choices)
    # The step a STEP event is about: its label is shown in the reader's language, while
    # old/new_value keep the English label for the audit trail should the step be deleted.
    step = models.ForeignKey(
        ChecklistItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.kind} {self.old_value} → {self.new_value}"

    def _display(self, value: str) -> str:
        # Codes and ISO dates are stored; readers see names and dates in their language.
        if self.kind in (DealEventKind.STAGE, DealEventKind.OPENED) and value in STAGE_ORDER:
            return str(DealStage(value).label)
        if self.kind == DealEventKind.STEP and value and self.step is not None:
            return self.step.label()
        if self.kind in (DealEventKind.DEADLINE, DealEventKind.REMINDER):
            return _date_display(value)
        if self.kind == DealEventKind.AGREEMENT:
            return _agreement_display(value)
        return value

    def old_display(self) -> str:
        return self._display(self.old_value)

    def new_display(self) -> str:
        return self._display(self.new_value)
