from django.contrib import admin

from qiao.deals.models import ChecklistItem, Deal, DealEvent, Interest, Pass


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The secretariat configures each stage's service-standard steps here."""

    list_display = ("stage", "position", "label_zh", "label_ru", "label_en", "required", "active")
    list_filter = ("stage", "required", "active", "is_sample")
    list_editable = ("position", "required", "active")
    search_fields = ("label_zh", "label_ru", "label_en")


class DealEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DealEvent
    extra = 0
    can_delete = False
    readonly_fields = ("actor", "kind", "old_value", "new_value", "created_at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only overview; changes go through the workspace so they are audited."""

    list_display = ("profile", "owner", "partner", "broker", "stage", "deadline", "is_sample")
    list_filter = ("stage", "is_sample")
    readonly_fields = [f.name for f in Deal._meta.fields]
    inlines = [DealEventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("profile", "organization", "status", "created_at", "decided_by")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Interest._meta.fields]


@admin.register(Pass)
class PassAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("profile", "organization", "reason", "created_at")
    list_filter = ("reason",)
