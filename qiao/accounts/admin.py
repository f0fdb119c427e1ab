from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from knox.admin import AuthTokenAdmin
from knox.models import AuthToken

from qiao.accounts.models import ApiToken, User

# knox's own registration shows its model as "auth token" in every language.
admin.site.unregister(AuthToken)
admin.site.register(ApiToken, AuthTokenAdmin)


class QiaoUserCreationForm(AdminUserCreationForm[User]):
    """A new account needs the person's name: people are shown by name, never by login
    (qiao.core.names), and an account created without one would fall back to the login."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True


@admin.register(User)
class QiaoUserAdmin(UserAdmin):  # type: ignore[type-arg]
    add_form = QiaoUserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "organization",
        "preferred_language",
        "is_active",
    )
    list_filter = ("role", "preferred_language", "is_active", "is_staff")
    autocomplete_fields = ("organization",)
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("Qiao"), {"fields": ("role", "organization", "preferred_language")}),
    )
