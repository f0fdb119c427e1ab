from django.contrib import admin

from qiao.resources.models import Resource, ResourceVersion


class VersionInline(admin.TabularInline[ResourceVersion, Resource]):
    model = ResourceVersion
    extra = 0
    readonly_fields = ["number", "file", "url", "original_name", "size", "note", "created_at"]
    can_delete = False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin[Resource]):
    list_display = ["title", "language", "level", "licence", "download_count", "is_sample"]
    list_filter = ["language", "level", "licence", "co_developed", "is_sample"]
    readonly_fields = ["download_count"]
    inlines = [VersionInline]
