"""The technology-manager training programme: programmes with modules in the three curriculum
areas, cohorts with an application flow (applied → accepted / waitlisted / rejected), lecturers
from partner organisations, sessions stored in UTC with the time zone they are held in, their
materials and the attendance lecturers record."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from qiao.core.languages import ContentLanguage, content_language_for_ui, pick_localized
from qiao.core.models import TimeStampedModel
from qiao.core.names import user_name
from qiao.deals.models import AgreementType, DealStage
from qiao.organizations.models import Organization


def _localized(obj: object, stem: str, ui_language: str | None) -> str:
    values = {code: getattr(obj, f"{stem}_{code}") for code in ("zh", "ru", "en")}
    return pick_localized(values, ui_language or get_language())


class TimeZoneChoice(models.TextChoices):
    """Where sessions are held; Harbin is UTC+8, Moscow UTC+3 (no daylight saving in either)."""

    HARBIN = "Asia/Harbin", _("Harbin (UTC+8)")
    MOSCOW = "Europe/Moscow", _("Moscow (UTC+3)")
    UTC = "UTC", _("UTC")


class TrilingualTitle(models.Model):
    title_zh = models.CharField(
        pgettext_lazy("training", "title (Chinese)"), max_length=255, blank=True
    )
    title_ru = models.CharField(
        pgettext_lazy("training", "title (Russian)"), max_length=255, blank=True
    )
    title_en = models.CharField(
        pgettext_lazy("training", "title (English)"), max_length=255, blank=True
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title()

    def title(self, ui_language: str | None = None) -> str:
        return _localized(self, "title", ui_language)


class TrainingProgramme(TrilingualTitle, TimeStampedModel):
    description_zh = models.TextField(_("description (Chinese)"), max_length=8000, blank=True)
    description_ru = models.TextField(_("description (Russian)"), max_length=8000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=8000, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_ru="") | ~Q(title_en=""),
                name="training_programme_has_a_title",
                violation_error_message=_("Write the title in at least one language."),
            ),
        ]

    def description(self, ui_language: str | None = None) -> str:
        return _localized(self, "description", ui_language)


class CurriculumArea(models.TextChoices):
    COOPERATION = "cooperation", _("China–Russia industry–university–research cooperation")
    STANDARDS = "standards", _("Technology-transfer service standards")
    SURVEYS = "surveys", _("Demand-survey methods")


class Module(TrilingualTitle):
    programme = models.ForeignKey(
        TrainingProgramme, on_delete=models.CASCADE, related_name="modules"
    )
    area = models.CharField(_("curriculum area"), max_length=16, choices=CurriculumArea.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["programme_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_ru="") | ~Q(title_en=""),
                name="training_module_has_a_title",
                violation_error_message=_("Write the title in at least one language."),
            ),
        ]


class Cohort(TrilingualTitle, TimeStampedModel):
    programme = models.ForeignKey(
        TrainingProgramme,
        on_delete=models.CASCADE,
        related_name="cohorts",
        verbose_name=_("programme"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=255)
    capacity = models.PositiveIntegerField(_("capacity"))
    applications_open = models.BooleanField(_("open for applications"), default=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="training_cohort_ends_after_start",
                violation_error_message=_("The end must not come before the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="training_cohort_has_capacity",
                violation_error_message=_("Give the number of places."),
            ),
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_ru="") | ~Q(title_en=""),
                name="training_cohort_has_a_title",
                violation_error_message=_("Write the title in at least one language."),
            ),
        ]


class Lecturer(models.Model):
    """A person teaching in one cohort, for a partner organisation."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="lecturers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lecturer_roles"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="training_lecturers",
    )

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"],
                name="training_lecturer_once_per_cohort",
                violation_error_message=_("This person already lectures in the cohort."),
            ),
        ]

    def __str__(self) -> str:
        return f"{user_name(self.user)} ({self.organization})"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("training", "Applied")
    ACCEPTED = "accepted", pgettext_lazy("training", "Accepted")
    WAITLISTED = "waitlisted", pgettext_lazy("training", "Waitlisted")
    REJECTED = "rejected", pgettext_lazy("training", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("training", "Withdrawn")


class Enrolment(TimeStampedModel):
    """A person's application to a cohort; once accepted they are a trainee of it."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("cohort")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_enrolments",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    motivation = models.TextField(_("motivation"), max_length=4000)
    motivation_language = models.CharField(
        _("language of the motivation"), max_length=2, choices=ContentLanguage.choices
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"],
                name="training_one_application_per_cohort",
                violation_error_message=_("You have already applied to this cohort."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.cohort}"


class Session(TrilingualTitle):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="sessions"
    )
    # Stored in UTC (USE_TZ); time_zone is where the session is held, for display and entry.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=32, choices=TimeZoneChoice.choices)
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    lecturers = models.ManyToManyField(
        Lecturer, verbose_name=_("lecturers"), blank=True, related_name="sessions"
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="training_session_ends_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="training_session_has_place_or_link",
                violation_error_message=_("Give a place or an online link."),
            ),
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_ru="") | ~Q(title_en=""),
                name="training_session_has_a_title",
                violation_error_message=_("Write the title in at least one language."),
            ),
        ]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def material_storage() -> FileSystemStorage:
    """Uploaded session materials live under QIAO_PRIVATE_MEDIA_ROOT, which no URL serves: a
    view streams them to the cohort's trainees and lecturers and to the secretariat."""
    return FileSystemStorage(location=settings.QIAO_PRIVATE_MEDIA_ROOT, base_url=None)


def _material_path(instance: Material, filename: str) -> str:
    # The stored name is random (chosen by the service); the original is kept in file_name.
    return f"training/materials/{instance.session_id}/{filename}"


class Material(models.Model):
    """A session's material: a link, or a file uploaded by a lecturer or the secretariat."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(pgettext_lazy("training", "title"), max_length=255)
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"), storage=material_storage, upload_to=_material_path, max_length=300, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="training_material_link_or_file",
                violation_error_message=_("Give either a link or a file."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="training_attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} @ {self.session}"


# --- case library ------------------------------------------------------------------------------


class Case(TimeStampedModel):
    """A teaching case; its text lives in one CaseText per language (zh, ru, en)."""

    published = models.BooleanField(_("published"), default=False)
    sectors = models.ManyToManyField(
        "exchange.Sector", verbose_name=_("sectors"), blank=True, related_name="training_cases"
    )
    stage = models.CharField(
        _("deal stage reached"), max_length=20, choices=DealStage.choices, blank=True
    )
    agreement_type = models.CharField(
        _("type of agreement"), max_length=20, choices=AgreementType.choices, blank=True
    )
    lessons = models.CharField(_("lessons (comma-separated tags)"), max_length=500, blank=True)
    source_deal = models.OneToOneField(
        "deals.Deal",
        verbose_name=_("from the deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_case",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        text = self.text()
        return text.title if text else f"#{self.pk}"

    def text(self, ui_language: str | None = None) -> CaseText | None:
        """The version in the reader's language, else the first one written (zh, ru, en)."""
        texts = {t.language: t for t in self.texts.all()}
        wanted = content_language_for_ui(ui_language or get_language())
        for code in (wanted, "zh", "ru", "en"):
            if code in texts:
                return texts[code]
        return None

    def lesson_tags(self) -> list[str]:
        return [tag.strip() for tag in self.lessons.split(",") if tag.strip()]


class CaseText(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    title = models.CharField(pgettext_lazy("training", "title"), max_length=255)
    background = models.TextField(_("background"), max_length=8000)
    parties = models.TextField(_("parties"), max_length=4000)
    technology = models.TextField(_("technology"), max_length=4000)
    obstacles = models.TextField(_("obstacles"), max_length=4000, blank=True)
    outcome = models.TextField(_("what happened"), max_length=8000, blank=True)
    questions = models.TextField(
        _("discussion questions (one per line)"), max_length=4000, blank=True
    )
    # Lecturers and the secretariat only.
    teaching_notes = models.TextField(_("teaching notes"), max_length=8000, blank=True)

    class Meta:
        verbose_name = _("case text")
        verbose_name_plural = _("case texts")
        ordering = ["case_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "language"],
                name="training_case_text_once_per_language",
                violation_error_message=_("This case already has a text in that language."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def question_list(self) -> list[str]:
        return [q.strip() for q in self.questions.splitlines() if q.strip()]


class CaseConsent(models.Model):
    """One party of a deal agrees that the deal may become an anonymised teaching case."""

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent to a teaching case")
        verbose_name_plural = _("consents to teaching cases")
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "organization"], name="training_case_consent_once_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.deal_id}"


# --- practical simulation (sandbox) -------------------------------------------------------------
#
# Everything a simulation touches lives in these tables and in its own engine index
# (qiao.training.sandbox): nothing reaches live profiles, interests, deals, e-mails or the
# dashboards, which only read the live tables.


class Assignment(TrilingualTitle, TimeStampedModel):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("cohort")
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    situation_zh = models.TextField(_("situation (Chinese)"), max_length=8000, blank=True)
    situation_ru = models.TextField(_("situation (Russian)"), max_length=8000, blank=True)
    situation_en = models.TextField(_("situation (English)"), max_length=8000, blank=True)
    partners_due = models.DateTimeField(_("partners chosen by"))
    deal_due = models.DateTimeField(_("deal closed by"))
    published = models.BooleanField(_("published"), default=False)
    leaderboard_hidden = models.BooleanField(_("leaderboard hidden"), default=False)

    class Meta:
        verbose_name = _("simulation assignment")
        verbose_name_plural = _("simulation assignments")
        ordering = ["deal_due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deal_due__gte=F("partners_due")),
                name="training_assignment_deadlines_in_order",
                violation_error_message=_("The deal deadline must not come before the partners'."),
            ),
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_ru="") | ~Q(title_en=""),
                name="training_assignment_has_a_title",
                violation_error_message=_("Write the title in at least one language."),
            ),
        ]

    def situation(self, ui_language: str | None = None) -> str:
        return _localized(self, "situation", ui_language)


class SandboxOffer(models.Model):
    """A fictitious technology offer in an assignment's pool (any of the three languages)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="offers")
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    organization_name = models.CharField(_("organisation (fictitious)"), max_length=255)
    title = models.CharField(pgettext_lazy("training", "title"), max_length=255)
    summary = models.TextField(_("summary"), max_length=4000)
    # The lecturer's reference solution: the partners a good technology manager would pick.
    is_reference = models.BooleanField(_("in the reference solution"), default=False)

    class Meta:
        verbose_name = _("sandbox offer")
        verbose_name_plural = _("sandbox offers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class AttemptStatus(models.TextChoices):
    WORKING = "working", _("In progress")
    SUBMITTED = "submitted", pgettext_lazy("training", "Submitted")


class Attempt(TimeStampedModel):
    """One trainee working one assignment: a sandbox deal with its stage and checklist."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    status = models.CharField(
        _("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.WORKING
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=DealStage.choices, default=DealStage.INTRODUCED
    )
    agreement_type = models.CharField(
        _("type of agreement"), max_length=20, choices=AgreementType.choices, blank=True
    )
    partners_chosen_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    justification = models.TextField(_("justification"), max_length=8000, blank=True)
    justification_language = models.CharField(
        _("language of the justification"),
        max_length=2,
        choices=ContentLanguage.choices,
        blank=True,
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    precision = models.FloatField(null=True, blank=True)
    recall = models.FloatField(null=True, blank=True)
    checklist_done = models.FloatField(null=True, blank=True)
    deadlines_kept = models.PositiveSmallIntegerField(null=True, blank=True)
    auto_score = models.PositiveSmallIntegerField(null=True, blank=True)
    rubric_score = models.PositiveSmallIntegerField(
        _("rubric score (0–100)"), null=True, blank=True
    )
    feedback = models.TextField(_("feedback"), max_length=4000, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("simulation attempt")
        verbose_name_plural = _("simulation attempts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "enrolment"], name="training_one_attempt_per_trainee"
            ),
            models.CheckConstraint(
                condition=Q(rubric_score__isnull=True) | Q(rubric_score__lte=100),
                name="training_rubric_score_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} · {self.assignment}"

    @property
    def total_score(self) -> int | None:
        """Automatic score, blended 60/40 with the lecturer's rubric once graded."""
        if self.auto_score is None:
            return None
        if self.rubric_score is None:
            return self.auto_score
        return round(0.6 * self.auto_score + 0.4 * self.rubric_score)


class AttemptPartner(models.Model):
    """A candidate partner the trainee chose (the sandbox's expression of interest)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="partners")
    offer = models.ForeignKey(SandboxOffer, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "offer"], name="training_attempt_partner_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.offer)


class AttemptStep(models.Model):
    """A checklist step ticked in the sandbox deal (the live checklist's wording)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey("deals.ChecklistItem", on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item"], name="training_attempt_step_once"),
        ]

    def __str__(self) -> str:
        return str(self.item)
