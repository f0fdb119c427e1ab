from django.contrib import admin

from qiao.programmes.models import Programme, StudentApplication


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ["__str__", "kind", "level", "lead", "quota", "open_for_applications"]
    list_filter = ["kind", "level", "open_for_applications", "is_sample"]
    filter_horizontal = ["partners"]


@admin.register(StudentApplication)
class StudentApplicationAdmin(admin.ModelAdmin[StudentApplication]):
    list_display = ["student", "programme", "status", "created_at"]
    list_filter = ["status"]
    # Status changes go through the application page, which records the reasons.
    readonly_fields = ["status"]
