"""Teaching resources co-developed by members: files or links in versions, with language,
specialty, level, licence, authors and member organisations, and a download count."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.alliance.models import Specialty
from qiao.core.languages import ContentLanguage, content_language_for_ui
from qiao.core.models import TimeStampedModel
from qiao.organizations.models import Organization


class ResourceLevel(models.TextChoices):
    SECONDARY = "secondary", _("Secondary vocational")
    HIGHER_VOCATIONAL = "higher_vocational", _("Higher vocational")
    BACHELOR = "bachelor", _("Bachelor")
    TRAINING = "training", _("Training course")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    MEMBERS_ONLY = "members", _("For alliance members only")


class Resource(TimeStampedModel):
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), max_length=4000)
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    # Optional translations of the title and description; `title`, `description` and
    # `language` stay the original. Readers see the translation into their UI language when
    # there is one; the search indexes every version.
    title_zh = models.CharField(_("title in Chinese (translation)"), max_length=255, blank=True)
    title_ru = models.CharField(_("title in Russian (translation)"), max_length=255, blank=True)
    title_en = models.CharField(_("title in English (translation)"), max_length=255, blank=True)
    description_zh = models.TextField(
        _("description in Chinese (translation)"), max_length=4000, blank=True
    )
    description_ru = models.TextField(
        _("description in Russian (translation)"), max_length=4000, blank=True
    )
    description_en = models.TextField(
        _("description in English (translation)"), max_length=4000, blank=True
    )
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    level = models.CharField(_("level"), max_length=32, choices=ResourceLevel.choices)
    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("member organisations"), related_name="resources"
    )
    co_developed = models.BooleanField(_("co-developed by several members"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    # Withdrawn resources leave the library and the search but keep their page, versions and
    # history; their authors may put them back.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("reason for the withdrawal"), max_length=2000, blank=True
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("teaching resource")
        verbose_name_plural = _("teaching resources")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def texts(self) -> dict[str, tuple[str, str]]:
        """{language: (title, description)} for the original and every translation."""
        found = {self.language: (self.title, self.description)}
        for code in ("zh", "ru", "en"):
            title, description = (
                getattr(self, f"title_{code}"),
                getattr(self, f"description_{code}"),
            )
            if code != self.language and (title or description):
                found[code] = (title or self.title, description or self.description)
        return found

    def shown(self, ui_language: str | None = None) -> ShownText:
        """The title and description a reader of this UI language sees: the translation into
        it when there is one, else the original."""
        from django.utils.translation import get_language

        code = content_language_for_ui(ui_language or get_language())
        title = getattr(self, f"title_{code}") if code != self.language else ""
        description = getattr(self, f"description_{code}") if code != self.language else ""
        return ShownText(
            title=title or self.title,
            title_language=code if title else self.language,
            description=description or self.description,
            description_language=code if description else self.language,
        )


@dataclass(frozen=True)
class ShownText:
    title: str
    title_language: str
    description: str
    description_language: str


def _version_path(instance: ResourceVersion, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"resources/{instance.resource_id}/{uuid.uuid4().hex}.{suffix}"


class ResourceVersion(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_version_path, max_length=255, blank=True)
    url = models.URLField(_("link"), blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="one_resource_version_number"
            ),
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="resource_version_is_a_file_or_a_link",
                violation_error_message=_("Give either a file or a link, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class AuthorStatus(models.TextChoices):
    INVITED = "invited", pgettext_lazy("alliance", "Invited")
    ACCEPTED = "accepted", _("Co-author")
    DECLINED = "declined", pgettext_lazy("alliance", "Declined")


class Authorship(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="authors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authorships"
    )
    status = models.CharField(_("status"), max_length=16, choices=AuthorStatus.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="one_authorship_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.resource}"


class ChangeAction(models.TextChoices):
    PUBLISHED = "published", pgettext_lazy("resource history", "Published")
    EDITED = "edited", pgettext_lazy("resource history", "Details changed")
    VERSION_ADDED = "version_added", pgettext_lazy("resource history", "New version")
    WITHDRAWN = "withdrawn", pgettext_lazy("resource history", "Withdrawn")
    RESTORED = "restored", pgettext_lazy("resource history", "Put back in the library")
    INVITED = "invited", pgettext_lazy("resource history", "Co-author invited")
    ACCEPTED = "accepted", pgettext_lazy("resource history", "Invitation accepted")
    DECLINED = "declined", pgettext_lazy("resource history", "Invitation declined")


class ResourceChange(models.Model):
    """The resource's history: who did what and when. Rows are only ever added."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Names of the fields an edit changed; the reason of a withdrawal; the invitee's name.
    fields = models.JSONField(default=list, blank=True)
    note = models.CharField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resource history entry")
        verbose_name_plural = _("resource history")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.resource} {self.action}"

    def field_labels(self) -> list[str]:
        names = {
            f.name: f.verbose_name
            for f in Resource._meta.get_fields()
            if hasattr(f, "verbose_name")
        }
        return [str(names.get(name, name)) for name in self.fields]
