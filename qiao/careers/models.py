"""Cross-border internships and jobs: postings, talent profiles, applications, pool matches.

Language levels are stored as small integers on one scale per language so that "meets the
minimum" is a comparison: 0 means none / not required, 1-6 the exam levels (HSK 1-6; ТРКИ/TORFL
elementary, basic, 1-4; CEFR A1-C2) and 7 a native speaker.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.core.languages import ContentLanguage
from qiao.core.models import TimeStampedModel
from qiao.organizations.models import Country


class ChineseLevel(models.IntegerChoices):
    NONE = 0, _("No Chinese")
    HSK1 = 1, _("HSK 1")
    HSK2 = 2, _("HSK 2")
    HSK3 = 3, _("HSK 3")
    HSK4 = 4, _("HSK 4")
    HSK5 = 5, _("HSK 5")
    HSK6 = 6, _("HSK 6")
    NATIVE = 7, _("Native Chinese")


class RussianLevel(models.IntegerChoices):
    NONE = 0, _("No Russian")
    ELEMENTARY = 1, _("TORFL elementary (ТЭУ, A1)")
    BASIC = 2, _("TORFL basic (ТБУ, A2)")
    LEVEL1 = 3, _("TORFL-1 (ТРКИ-1, B1)")
    LEVEL2 = 4, _("TORFL-2 (ТРКИ-2, B2)")
    LEVEL3 = 5, _("TORFL-3 (ТРКИ-3, C1)")
    LEVEL4 = 6, _("TORFL-4 (ТРКИ-4, C2)")
    NATIVE = 7, _("Native Russian")


class EnglishLevel(models.IntegerChoices):
    NONE = 0, _("No English")
    A1 = 1, _("CEFR A1")
    A2 = 2, _("CEFR A2")
    B1 = 3, _("CEFR B1")
    B2 = 4, _("CEFR B2")
    C1 = 5, _("CEFR C1")
    C2 = 6, _("CEFR C2")
    NATIVE = 7, _("Native English")


# content language -> (model field suffix, level choices)
LEVEL_CHOICES: dict[str, type[models.IntegerChoices]] = {
    "zh": ChineseLevel,
    "ru": RussianLevel,
    "en": EnglishLevel,
}
LEVEL_VALIDATORS = [MinValueValidator(0), MaxValueValidator(7)]


class PostingKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship")
    JOB = "job", _("Job")


class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", pgettext_lazy("careers", "Closed")
    EXPIRED = "expired", _("Expired")


class Currency(models.TextChoices):
    CNY = "CNY", _("Chinese yuan (CNY)")
    RUB = "RUB", _("Russian rouble (RUB)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")


class StudyLevel(models.TextChoices):
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational student")
    HIGHER_VOCATIONAL = "higher_vocational", _("Higher vocational student")
    BACHELOR = "bachelor", _("Bachelor's student")
    MASTER = "master", _("Master's student")
    DOCTORAL = "doctoral", _("Doctoral student")
    GRADUATE = "graduate", _("Graduate")


class Posting(TimeStampedModel):
    """An internship or job offered by an organisation, written in one language."""

    kind = models.CharField(_("type"), max_length=12, choices=PostingKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PostingStatus.choices,
        default=PostingStatus.DRAFT,
        db_index=True,
    )
    language = models.CharField(
        _("language of the text"), max_length=2, choices=ContentLanguage.choices
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    requirements = models.TextField(_("requirements"), max_length=4000, blank=True)
    employer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="postings",
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    city = models.CharField(_("city"), max_length=128)
    specialty = models.CharField(_("specialty"), max_length=200)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    min_chinese = models.PositiveSmallIntegerField(
        _("minimum Chinese level"),
        choices=ChineseLevel.choices,
        default=0,
        validators=LEVEL_VALIDATORS,
    )
    min_russian = models.PositiveSmallIntegerField(
        _("minimum Russian level"),
        choices=RussianLevel.choices,
        default=0,
        validators=LEVEL_VALIDATORS,
    )
    min_english = models.PositiveSmallIntegerField(
        _("minimum English level"),
        choices=EnglishLevel.choices,
        default=0,
        validators=LEVEL_VALIDATORS,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        pgettext_lazy("careers", "duration in months"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
    )
    pay_monthly = models.PositiveIntegerField(_("monthly pay"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    housing = models.BooleanField(_("housing provided"), default=False)
    visa_support = models.BooleanField(_("visa support"), default=False)
    places = models.PositiveSmallIntegerField(
        _("number of places"), default=1, validators=[MinValueValidator(1)]
    )
    closes_on = models.DateField(_("applications close on"))
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
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="posting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PostingStatus.PUBLISHED

    def minimum_levels(self) -> dict[str, int]:
        return {"zh": self.min_chinese, "ru": self.min_russian, "en": self.min_english}


class PostingEvent(models.Model):
    """Audit trail of a posting's lifecycle."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=PostingStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=PostingStatus.choices)
    note = models.TextField(blank=True)
    # Field names, so the history reads in each viewer's language (see changed_labels).
    changed_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.posting_id}: {self.from_status or '-'} → {self.to_status}"

    def changed_labels(self) -> list[str]:
        fields = {f.name: f for f in Posting._meta.concrete_fields}
        return [str(fields[name].verbose_name) for name in self.changed_fields if name in fields]


def cv_storage() -> FileSystemStorage:
    """CVs live outside MEDIA_ROOT (never served as static media): only the CV view reads them."""
    return FileSystemStorage(location=settings.QIAO_PRIVATE_MEDIA_ROOT, base_url=None)


def cv_upload_to(instance: TalentProfile, filename: str) -> str:
    # A random name: the original one may carry personal data and is kept in cv_name.
    return f"cv/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class TalentProfile(TimeStampedModel):
    """A student's or graduate's profile. Personal data: see qiao.careers.permissions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="talent_profile",
    )
    institution = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="students",
    )
    language = models.CharField(
        _("language of the text"), max_length=2, choices=ContentLanguage.choices
    )
    headline = models.CharField(_("headline"), max_length=200)
    specialty = models.CharField(_("specialty"), max_length=200)
    study_level = models.CharField(_("level of study"), max_length=24, choices=StudyLevel.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    experience = models.TextField(_("experience"), max_length=4000, blank=True)
    chinese_level = models.PositiveSmallIntegerField(
        _("Chinese level"), choices=ChineseLevel.choices, default=0, validators=LEVEL_VALIDATORS
    )
    russian_level = models.PositiveSmallIntegerField(
        _("Russian level"), choices=RussianLevel.choices, default=0, validators=LEVEL_VALIDATORS
    )
    english_level = models.PositiveSmallIntegerField(
        _("English level"), choices=EnglishLevel.choices, default=0, validators=LEVEL_VALIDATORS
    )
    preferred_countries = models.JSONField(_("preferred countries"), default=list, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_to = models.DateField(_("available until"), null=True, blank=True)
    cv = models.FileField(_("CV"), upload_to=cv_upload_to, storage=cv_storage, blank=True)
    cv_name = models.CharField(_("CV file name"), max_length=255, blank=True)
    in_talent_pool = models.BooleanField(
        _("join the talent pool"),
        default=False,
        help_text=_(
            "Employers with published postings may see your profile, and you receive a digest "
            "of new postings that suit you."
        ),
    )
    allowed_employers = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("employers allowed to see my profile"),
        blank=True,
        related_name="+",
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("talent profile")
        verbose_name_plural = _("talent profiles")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.headline

    def levels(self) -> dict[str, int]:
        return {"zh": self.chinese_level, "ru": self.russian_level, "en": self.english_level}


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("careers", "Submitted")
    VIEWED = "viewed", _("Viewed")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    ACCEPTED = "accepted", pgettext_lazy("careers", "Accepted")
    DECLINED = "declined", pgettext_lazy("careers", "Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(TimeStampedModel):
    """A candidate's application to a posting. When the candidate deletes their account the
    application stays for the employer's records, anonymised (candidate = NULL)."""

    posting = models.ForeignKey(
        Posting, verbose_name=_("posting"), on_delete=models.PROTECT, related_name="applications"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    cover_letter = models.TextField(_("cover letter"), max_length=4000, blank=True)
    cover_letter_language = models.CharField(
        _("language of the cover letter"),
        max_length=2,
        choices=ContentLanguage.choices,
        blank=True,
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "candidate"],
                condition=Q(candidate__isnull=False),
                name="one_application_per_candidate_and_posting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id or '-'} → {self.posting_id} ({self.status})"


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '-'} → {self.to_status}"


class PoolMatch(TimeStampedModel):
    """A good match found when a posting was published, awaiting or past its digest e-mails."""

    posting = models.ForeignKey(
        Posting, on_delete=models.CASCADE, related_name="pool_matches", verbose_name=_("posting")
    )
    profile = models.ForeignKey(
        TalentProfile,
        on_delete=models.CASCADE,
        related_name="pool_matches",
        verbose_name=_("profile"),
    )
    score = models.FloatField(_("match quality"))
    candidate_notified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("candidate notified at")
    )
    employer_notified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("employer notified at")
    )

    class Meta:
        verbose_name = _("talent pool match")
        verbose_name_plural = _("talent pool matches")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "profile"], name="unique_pool_match"),
        ]

    def __str__(self) -> str:
        return f"{self.posting_id} ↔ {self.profile_id} ({self.score:.0f})"
