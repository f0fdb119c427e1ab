from django.contrib import admin

from qiao.organizations.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "kind", "country", "city", "broker", "is_sample")
    list_filter = ("kind", "country", "is_sample")
    search_fields = ("name_zh", "name_ru", "name_en", "city", "region")
    autocomplete_fields = ("broker",)
