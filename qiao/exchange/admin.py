from django.contrib import admin

from qiao.exchange.models import Match, Profile, ProfileEvent, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name_zh", "name_ru", "name_en", "parent")
    search_fields = ("code", "name_zh", "name_ru", "name_en")


class ProfileEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProfileEvent
    extra = 0
    can_delete = False
    readonly_fields = ("actor", "from_status", "to_status", "note", "created_at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read and correct records; lifecycle changes go through the site so they are audited
    and re-indexed."""

    list_display = ("title", "kind", "language", "status", "organization", "published_at")
    list_filter = ("kind", "status", "language", "is_sample", "sectors")
    search_fields = ("title", "summary")
    readonly_fields = ("status", "submitted_at", "published_at", "expires_at", "created_by")
    autocomplete_fields = ("organization",)
    inlines = [ProfileEventInline]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("offer", "request", "score", "offer_status", "request_status", "model_name")
    list_filter = ("offer_status", "request_status")
    readonly_fields = ("offer", "request", "score", "explanation", "model_name")
