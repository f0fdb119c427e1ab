from django.contrib import admin

from qiao.careers.models import Application, PoolMatch, Posting, TalentProfile


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin[Posting]):
    list_display = ("title", "kind", "employer", "country", "status", "closes_on", "is_sample")
    list_filter = ("status", "kind", "country", "language", "is_sample")
    search_fields = ("title", "specialty", "city")
    raw_id_fields = ("employer", "created_by")


@admin.register(TalentProfile)
class TalentProfileAdmin(admin.ModelAdmin[TalentProfile]):
    list_display = ("headline", "user", "institution", "study_level", "in_talent_pool")
    list_filter = ("study_level", "language", "in_talent_pool", "is_sample")
    raw_id_fields = ("user", "institution")
    # The CV is served only through the permission-checked view, never as a media URL.
    exclude = ("cv",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ("posting", "candidate", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("posting", "candidate")


@admin.register(PoolMatch)
class PoolMatchAdmin(admin.ModelAdmin[PoolMatch]):
    list_display = ("posting", "profile", "score", "candidate_notified_at", "employer_notified_at")
    raw_id_fields = ("posting", "profile")
