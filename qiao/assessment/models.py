"""Assessment of the technology-manager training: module quizzes drawn from a question bank,
completion rules per programme, and certificates with a public verification page.

This app depends on qiao.training (modules, cohorts, enrolments, attendance, simulations);
training never imports it (an import-linter contract keeps it so)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from qiao.core.languages import pick_localized
from qiao.core.models import TimeStampedModel
from qiao.training.models import Cohort, Enrolment, Module, TrainingProgramme


def _localized(values: dict[str, str], ui_language: str | None) -> str:
    return pick_localized(values, ui_language or get_language())


class Quiz(TimeStampedModel):
    """A module's quiz: each attempt draws `questions_per_attempt` questions from the bank."""

    module = models.OneToOneField(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="quiz"
    )
    questions_per_attempt = models.PositiveSmallIntegerField(_("questions per attempt"), default=5)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), default=20)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    published = models.BooleanField(_("open to trainees"), default=False)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["module__programme_id", "module__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100),
                name="assessment_quiz_pass_mark_at_most_100",
                violation_error_message=_("The pass mark is a percentage (0–100)."),
            ),
            models.CheckConstraint(
                condition=Q(questions_per_attempt__gt=0) & Q(time_limit_minutes__gt=0),
                name="assessment_quiz_draws_questions_in_time",
                violation_error_message=_("Draw at least one question and allow some time."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.module)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One correct answer")
    MULTIPLE = "multiple", _("Several correct answers")


class Question(TimeStampedModel):
    """One question of a quiz's bank, worded in up to three languages. `options` is a list of
    {"zh": ..., "ru": ..., "en": ...}; `correct` the indexes of the right options."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_zh = models.TextField(_("question (Chinese)"), max_length=2000, blank=True)
    text_ru = models.TextField(_("question (Russian)"), max_length=2000, blank=True)
    text_en = models.TextField(_("question (English)"), max_length=2000, blank=True)
    options = models.JSONField(_("options"), default=list)
    correct = models.JSONField(_("correct options"), default=list)
    explanation_zh = models.TextField(_("explanation (Chinese)"), max_length=2000, blank=True)
    explanation_ru = models.TextField(_("explanation (Russian)"), max_length=2000, blank=True)
    explanation_en = models.TextField(_("explanation (English)"), max_length=2000, blank=True)
    active = models.BooleanField(_("in the bank"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_zh="") | ~Q(text_ru="") | ~Q(text_en=""),
                name="assessment_question_has_text",
                violation_error_message=_("Write the question in at least one language."),
            ),
        ]

    def __str__(self) -> str:
        return self.text()[:80]

    def text(self, ui_language: str | None = None) -> str:
        return _localized({"zh": self.text_zh, "ru": self.text_ru, "en": self.text_en}, ui_language)

    def explanation(self, ui_language: str | None = None) -> str:
        return _localized(
            {"zh": self.explanation_zh, "ru": self.explanation_ru, "en": self.explanation_en},
            ui_language,
        )

    def option_labels(self, ui_language: str | None = None) -> list[str]:
        return [_localized(option, ui_language) for option in self.options]


class QuizAttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", pgettext_lazy("assessment", "Submitted")


class QuizAttempt(TimeStampedModel):
    """A trainee's go at a quiz. The drawn questions are stored (`question_ids`, from `seed`) so
    a reload shows the same draw; answers are saved as the trainee goes; only answers saved
    before the deadline count. One attempt per trainee and quiz unless a lecturer or the
    secretariat reopens it, which allows the next `number`."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("enrolment"),
    )
    number = models.PositiveSmallIntegerField(default=1, verbose_name=_("number"))
    seed = models.BigIntegerField(verbose_name=_("question order seed"))
    question_ids = models.JSONField(default=list, verbose_name=_("question IDs"))
    answers = models.JSONField(
        default=dict, verbose_name=_("answers")
    )  # {"<question id>": [option indexes]}
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=QuizAttemptStatus.choices,
        default=QuizAttemptStatus.IN_PROGRESS,
    )
    started_at = models.DateTimeField(verbose_name=_("started at"))
    deadline = models.DateTimeField(verbose_name=_("deadline"))
    saved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("saved at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    timed_out = models.BooleanField(_("time ran out"), default=False)
    correct_count = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("correct answers")
    )
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True, verbose_name=_("passed"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reopened at"))

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["quiz_id", "enrolment_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "enrolment", "number"], name="assessment_attempt_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} · {self.quiz} #{self.number}"


class CompletionRule(TimeStampedModel):
    """What a trainee of the programme must do to complete it and be certified."""

    programme = models.OneToOneField(
        TrainingProgramme,
        on_delete=models.CASCADE,
        related_name="completion_rule",
        verbose_name=_("programme"),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80
    )
    require_quizzes = models.BooleanField(_("every open module quiz passed"), default=True)
    require_simulations = models.BooleanField(
        _("every published simulation submitted"), default=True
    )
    min_simulation_score = models.PositiveSmallIntegerField(
        _("minimum simulation score (0–100)"), default=0
    )

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100) & Q(min_simulation_score__lte=100),
                name="assessment_rule_percentages",
                violation_error_message=_("Percentages and scores go from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.programme)


def certificate_storage() -> FileSystemStorage:
    """Certificate PDFs live under QIAO_PRIVATE_MEDIA_ROOT, which no URL serves."""
    return FileSystemStorage(location=settings.QIAO_PRIVATE_MEDIA_ROOT, base_url=None)


class Certificate(models.Model):
    """A trainee's certificate of completion. The holder's name and the programme's titles are
    copied when it is issued, so what it says never changes afterwards."""

    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    # Deleting the account (careers' "delete my account") deletes its enrolments and so its
    # certificates: the verification page then no longer knows the number.
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    holder_name = models.CharField(_("name on the certificate"), max_length=255)
    programme_zh = models.CharField(
        max_length=255, blank=True, verbose_name=_("programme (Chinese)")
    )
    programme_ru = models.CharField(
        max_length=255, blank=True, verbose_name=_("programme (Russian)")
    )
    programme_en = models.CharField(
        max_length=255, blank=True, verbose_name=_("programme (English)")
    )
    cohort_starts_on = models.DateField(verbose_name=_("cohort starts on"))
    cohort_ends_on = models.DateField(verbose_name=_("cohort ends on"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), max_length=2000, blank=True)
    pdf = models.FileField(
        storage=certificate_storage, upload_to="certificates/", blank=True, verbose_name=_("PDF")
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="assessment_one_valid_certificate_per_enrolment",
                violation_error_message=_("This trainee already holds a valid certificate."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def valid(self) -> bool:
        return self.revoked_at is None

    @property
    def cohort(self) -> Cohort:
        return self.enrolment.cohort

    def programme(self, ui_language: str | None = None) -> str:
        return _localized(
            {"zh": self.programme_zh, "ru": self.programme_ru, "en": self.programme_en},
            ui_language,
        )


class CertificateEventKind(models.TextChoices):
    ISSUED = "issued", _("Issued")
    RENDERED = "rendered", _("PDF made")
    REVOKED = "revoked", _("Revoked")


class CertificateEvent(models.Model):
    """The audit trail of a certificate: who issued, rendered or revoked it, and when."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=CertificateEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.certificate} {self.kind}"
