from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from knox.admin import AuthTokenAdmin
from knox.models import AuthToken

from qiao.accounts.models import ApiToken, User

# knox's own registration shows its model as "auth token" in every language.
admin.site.unregister(AuthToken)
admin.site.register(ApiToken, AuthTokenAdmin)


@admin.register(User)
class QiaoUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "email", "role", "organization", "preferred_language", "is_active")
    list_filter = ("role", "preferred_language", "is_active", "is_staff")
    autocomplete_fields = ("organization",)
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("Qiao"), {"fields": ("role", "organization", "preferred_language")}),
    )
