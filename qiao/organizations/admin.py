from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from qiao.organizations.models import Organization
from qiao.search.collections import organisations, profiles
from qiao.search.services import search_request


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "kind", "country", "city", "broker", "is_sample")
    list_filter = ("kind", "country", "is_sample")
    search_fields = ("name_zh", "name_ru", "name_en", "city", "region")
    autocomplete_fields = ("broker",)

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # Its description is matched at events; its country filters its profiles.
            search_request(collection=organisations.NAME, sources=[str(obj.pk)])
            search_request(
                collection=profiles.NAME,
                sources=[str(pk) for pk in obj.profiles.values_list("pk", flat=True)],
            )
