"""Enterprise demand surveys (需求摸底调研): versioned trilingual questionnaires, personal
invitation links, answers saved and resumed, submitted once."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qiao.core.languages import pick_localized
from qiao.core.models import TimeStampedModel
from qiao.deals.models import private_storage


class Questionnaire(TimeStampedModel):
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_ru = models.TextField(_("introduction (Russian)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title()

    def title(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        values = {"zh": self.title_zh, "ru": self.title_ru, "en": self.title_en}
        return pick_localized(values, ui_language or get_language())

    def intro(self) -> str:
        from django.utils.translation import get_language

        values = {"zh": self.intro_zh, "ru": self.intro_ru, "en": self.intro_en}
        return pick_localized(values, get_language())


class QuestionnaireVersion(models.Model):
    """The questions as sent: a version is frozen once invitations go out; changes make a new
    version, so every response is read against the wording its respondent saw."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("questionnaire"),
    )
    number = models.PositiveIntegerField(_("version"))
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="unique_questionnaire_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("One choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale 1–5")
    NUMBER = "number", _("Number")
    SECTOR = "sector", _("Sector")
    FILE = "file", _("File")


class ProfileField(models.TextChoices):
    """Where an answer goes when a broker turns a response into a draft Technology Request."""

    NONE = "", _("Nothing")
    TITLE = "title", _("Title")
    SUMMARY = "summary", _("Summary")
    DESCRIPTION = "description", _("Description")
    SPECIFICATION = "technical_specification", _("Expertise sought")
    SECTORS = "sectors", _("Sectors")


class Question(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    text_zh = models.CharField(_("question (Chinese)"), max_length=500)
    text_ru = models.CharField(_("question (Russian)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500)
    # For choice and multiple choice: [{"zh": "...", "ru": "...", "en": "..."}, ...]
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    maps_to = models.CharField(
        _("fills the request's"), max_length=30, choices=ProfileField.choices, blank=True
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.text()

    def text(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        values = {"zh": self.text_zh, "ru": self.text_ru, "en": self.text_en}
        return pick_localized(values, ui_language or get_language())

    def option_labels(self, ui_language: str | None = None) -> list[str]:
        from django.utils.translation import get_language

        return [pick_localized(o, ui_language or get_language()) for o in self.options]


def _token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(TimeStampedModel):
    """A personal link for one organisation; the link is the respondent's only key."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="invitations"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language of the e-mail"), max_length=10)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    answer_language = models.CharField(max_length=10, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    request_profile = models.ForeignKey(
        "exchange.Profile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organization"], name="one_invitation_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.version}"


def _upload_path(instance: AnswerFile, filename: str) -> str:
    return f"surveys/{instance.invitation_id}/{filename}"


class AnswerFile(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="files")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=private_storage, upload_to=_upload_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="one_file_per_answer")
        ]

    def __str__(self) -> str:
        return self.name
