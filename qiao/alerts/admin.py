from django.contrib import admin

from qiao.alerts.models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "user", "frequency", "active", "checked_until", "last_sent_at")
    list_filter = ("frequency", "active")
    search_fields = ("name", "query", "user__username")
