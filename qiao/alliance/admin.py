from django.contrib import admin

from qiao.alliance.models import (
    ApplicationDocument,
    ApplicationEvent,
    Membership,
    MembershipApplication,
    Specialty,
)


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin[Specialty]):
    list_display = ["code", "name_zh", "name_ru", "name_en"]
    search_fields = ["code", "name_zh", "name_ru", "name_en"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["organization", "status", "stage", "region", "joined_on", "is_sample"]
    list_filter = ["status", "stage", "is_sample"]
    raw_id_fields = ["organization"]
    filter_horizontal = ["specialties"]


class DocumentInline(admin.TabularInline[ApplicationDocument, MembershipApplication]):
    model = ApplicationDocument
    extra = 0
    # No file link: documents are private; the secretariat opens them on the review page.
    readonly_fields = ("kind", "original_name", "content_type", "size", "uploaded_at")
    fields = readonly_fields


class EventInline(admin.TabularInline[ApplicationEvent, MembershipApplication]):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["actor", "from_status", "to_status", "message", "created_at"]
    can_delete = False


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin[MembershipApplication]):
    list_display = ["__str__", "country", "kind", "status", "created_at"]
    list_filter = ["status", "country", "kind"]
    # Decisions go through the review page, which records history and sends e-mails.
    readonly_fields = ["status", "decision_reason", "decided_at", "decided_by", "token"]
    inlines = [DocumentInline, EventInline]
