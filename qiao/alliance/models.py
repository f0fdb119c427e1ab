"""The China–Russia Vocational Education Alliance: specialties, memberships (members and
prospective members) and the applications that turn an organisation into a member."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.accounts.models import UILanguage
from qiao.alliance import regions
from qiao.core.languages import ContentLanguage, pick_localized
from qiao.core.models import TimeStampedModel
from qiao.core.storage import private_storage
from qiao.organizations.models import Country, Organization, OrganizationKind


class Specialty(models.Model):
    """A vocational specialty (trilingual), used by members, programmes and resources."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=128)
    name_ru = models.CharField(_("name (Russian)"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        names = {"zh": self.name_zh, "ru": self.name_ru, "en": self.name_en}
        return pick_localized(names, ui_language or get_language())


class MembershipStatus(models.TextChoices):
    PROSPECTIVE = "prospective", _("Prospective member")
    MEMBER = "member", _("Member")


class ProspectStage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    CONTACTED = "contacted", _("Contacted")
    NEGOTIATING = "negotiating", _("In talks")
    APPLIED = "applied", _("Application submitted")
    DECLINED = "declined", _("Not interested")


class MemberCategory(models.TextChoices):
    """The composition the alliance reports (its charter's categories of members)."""

    RUSSIAN = "russian", _("Russian institutions")
    UNDERGRADUATE = "undergraduate", _("Chinese undergraduate universities")
    HIGHER_VOCATIONAL = "higher_vocational", _("Higher-vocational colleges")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary-vocational schools")
    ENTERPRISE_RESEARCH = "enterprise_research", _("Enterprises and research bodies")
    OTHER = "other", _("Other members")


def member_category(organization: Organization) -> str:
    if organization.country == Country.RU:
        return MemberCategory.RUSSIAN
    return {
        OrganizationKind.UNIVERSITY: MemberCategory.UNDERGRADUATE,
        OrganizationKind.HIGHER_VOCATIONAL: MemberCategory.HIGHER_VOCATIONAL,
        OrganizationKind.SECONDARY_VOCATIONAL: MemberCategory.SECONDARY_VOCATIONAL,
        OrganizationKind.ENTERPRISE: MemberCategory.ENTERPRISE_RESEARCH,
        OrganizationKind.RESEARCH_INSTITUTE: MemberCategory.ENTERPRISE_RESEARCH,
    }.get(OrganizationKind(organization.kind), MemberCategory.OTHER)


class Membership(TimeStampedModel):
    """An organisation's relation to the alliance: a prospective member or a member."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    status = models.CharField(_("status"), max_length=16, choices=MembershipStatus.choices)
    stage = models.CharField(
        _("pipeline stage"), max_length=16, choices=ProspectStage.choices, blank=True
    )
    region = models.CharField(_("province or region"), max_length=8, blank=True)
    specialties = models.ManyToManyField(
        Specialty, verbose_name=_("specialties"), blank=True, related_name="memberships"
    )
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    # Personal data: shown only to the secretariat and to member representatives.
    contact_name = models.CharField(_("contact person"), max_length=128, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    notes = models.TextField(_("secretariat notes"), max_length=4000, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="member") | Q(joined_on__isnull=False),
                name="alliance_member_has_join_date",
            ),
            models.CheckConstraint(
                condition=Q(status="prospective") | Q(stage=""),
                name="alliance_only_prospects_have_a_stage",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def category(self) -> str:
        return member_category(self.organization)

    def get_category_display(self) -> str:
        return str(MemberCategory(self.category).label)

    def region_name(self) -> str:
        return regions.region_name(self.region)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("alliance", "Submitted")
    MORE_INFO = "more_info", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MembershipApplication(TimeStampedModel):
    """An organisation's application to join, as sent through the public form."""

    # The applicant has no account yet: this unguessable token is their key to the application.
    token = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("status link token")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=255, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("province or region"), max_length=8, blank=True)
    city = models.CharField(_("city"), max_length=128)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("about the organisation"), max_length=4000)
    description_language = models.CharField(
        _("language of the description"), max_length=2, choices=ContentLanguage.choices
    )
    specialties = models.ManyToManyField(
        Specialty, verbose_name=_("specialties"), blank=True, related_name="applications"
    )
    motivation = models.TextField(_("what you bring to the alliance"), max_length=4000)
    rep_name = models.CharField(_("representative's full name"), max_length=128)
    rep_position = models.CharField(pgettext_lazy("alliance", "position"), max_length=128)
    rep_email = models.EmailField(pgettext_lazy("alliance", "e-mail"))
    rep_phone = models.CharField(_("telephone"), max_length=32, blank=True)
    language = models.CharField(
        _("language for our e-mails"),
        max_length=10,
        choices=UILanguage.choices,
        default=UILanguage.EN,
    )
    decision_reason = models.TextField(_("reason"), max_length=4000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_applications",
        verbose_name=_("organisation"),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_applications",
        verbose_name=_("representative"),
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_ru="") | ~Q(name_en=""),
                name="alliance_application_has_a_name",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="alliance_rejection_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(organization__isnull=False),
                name="alliance_approval_has_an_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        names = {"zh": self.name_zh, "ru": self.name_ru, "en": self.name_en}
        return pick_localized(names, ui_language or get_language())

    def region_name(self) -> str:
        return regions.region_name(self.region)

    @property
    def is_open(self) -> bool:
        return self.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.MORE_INFO)


class DocumentKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration certificate")
    LETTER = "letter", _("Letter of intent")
    OTHER = "other", _("Other document")


def _document_path(instance: ApplicationDocument, filename: str) -> str:
    # Never the uploaded name: it may hold anything; the original is kept in a field.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"alliance/applications/{instance.application.token}/{uuid.uuid4().hex}.{suffix}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    # Private: read only through the applicant's secret link or by the secretariat.
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_document_path, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """Every step of an application, with its message: the history is never overwritten."""

    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
