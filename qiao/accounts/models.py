from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from qiao.core.names import user_name


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    BROKER = "broker", _("Technology manager")
    REPRESENTATIVE = "representative", _("Organisation representative")
    STUDENT = "student", _("Student or graduate")


class UILanguage(models.TextChoices):
    ZH_HANS = "zh-hans", "中文"
    RU = "ru", "Русский"
    EN = "en", "English"


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.REPRESENTATIVE
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=UILanguage.choices,
        default=UILanguage.EN,
        help_text=_("Used for the interface and for every e-mail sent to you."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representatives",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        # A person is shown by name wherever a template or a form prints the user; the login
        # name is for logging in (qiao.core.names).
        return user_name(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # set_password() leaves the new password in _password until the save (Django's own
        # hook for password_changed; a login that only rehashes clears it first). A new
        # password ends every API token, as the session hash ends every web session: on
        # change, reset, in the admin or from the command line alike.
        password_changed = getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        if password_changed:
            from knox.models import AuthToken  # knox's model refers back to this one

            AuthToken.objects.filter(user=self).delete()

    @property
    def is_secretariat(self) -> bool:
        return self.is_active and (self.role == Role.SECRETARIAT or self.is_superuser)

    @property
    def is_broker(self) -> bool:
        return self.is_active and self.role == Role.BROKER

    @property
    def is_student(self) -> bool:
        """A student or graduate: applies to programmes and postings, keeps a talent profile."""
        return self.is_active and self.role == Role.STUDENT

    @property
    def can_review(self) -> bool:
        return self.is_secretariat or self.is_broker


class ApiToken(AuthToken):  # type: ignore[misc]  # knox is untyped
    """knox's token under a translated name in the admin (knox names its model in English)."""

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
