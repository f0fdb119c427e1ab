from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qiao.accounts.models import UILanguage, User


class AccountSettingsForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "preferred_language"]


class LocalizedPasswordResetForm(PasswordResetForm):
    """Sends the reset e-mail in the recipient's preferred language, not the requester's,
    with a link to the site's own address (QIAO_BASE_URL): the request's Host header is
    chosen by whoever asks, so it must never end up in the link."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        site = urlsplit(settings.BASE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class StudentSignUpForm(forms.Form):
    """Public sign-up for students and graduates (organisations join through the alliance's
    membership application instead)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("You log in with this address."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=UILanguage.choices,
        help_text=_("Used for the interface and for every e-mail sent to you."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise forms.ValidationError(
                _(
                    "An account with this e-mail address already exists. Log in or reset your "
                    "password instead."
                ),
                code="email_taken",
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error(
                    "password2",
                    forms.ValidationError(_("The two passwords differ."), code="password_mismatch"),
                )
            else:
                # Validate against the would-be user so "similar to your name" is caught.
                candidate = User(
                    username=cleaned.get("email", ""),
                    email=cleaned.get("email", ""),
                    first_name=cleaned.get("first_name", ""),
                    last_name=cleaned.get("last_name", ""),
                )
                try:
                    password_validation.validate_password(password1, candidate)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return cleaned
