from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from qiao.search.collections import sandbox
from qiao.search.services import search_request
from qiao.training.models import (
    Assignment,
    Case,
    CaseText,
    Cohort,
    Enrolment,
    Lecturer,
    Material,
    Module,
    SandboxOffer,
    Session,
    TrainingProgramme,
)


class ModuleInline(admin.TabularInline[Module, TrainingProgramme]):
    model = Module
    extra = 0


@admin.register(TrainingProgramme)
class TrainingProgrammeAdmin(admin.ModelAdmin[TrainingProgramme]):
    list_display = ["__str__", "is_sample"]
    inlines = [ModuleInline]


class LecturerInline(admin.TabularInline[Lecturer, Cohort]):
    model = Lecturer
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin[Cohort]):
    list_display = ["__str__", "programme", "starts_on", "place", "capacity", "applications_open"]
    list_filter = ["programme", "applications_open", "is_sample"]
    inlines = [LecturerInline]


class MaterialInline(admin.TabularInline[Material, Session]):
    # Files are uploaded on the session page, which checks their type and size.
    model = Material
    extra = 0
    fields = ["title", "language", "url", "file_name", "size"]
    readonly_fields = ["file_name", "size"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    # New sessions are planned on the cohort page, where times are entered in the session's
    # own time zone; here only materials and lecturers are kept up to date.
    list_display = ["__str__", "cohort", "module", "starts_at", "time_zone"]
    list_filter = ["cohort"]
    filter_horizontal = ["lecturers"]
    inlines = [MaterialInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin[Enrolment]):
    list_display = ["user", "cohort", "status", "decided_at"]
    list_filter = ["status", "cohort"]
    # Decisions go through the applications page, which checks capacity and e-mails.
    readonly_fields = ["status", "decided_by", "decided_at"]


class CaseTextInline(admin.StackedInline[CaseText, Case]):
    model = CaseText
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    # Publishing goes through the case page, which updates the search index.
    list_display = ["__str__", "published", "agreement_type", "is_sample"]
    list_filter = ["published", "agreement_type", "is_sample"]
    readonly_fields = ["published", "source_deal", "created_by"]
    filter_horizontal = ["sectors"]
    inlines = [CaseTextInline]


class SandboxOfferInline(admin.StackedInline[SandboxOffer, Assignment]):
    model = SandboxOffer
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin[Assignment]):
    list_display = ["__str__", "cohort", "module", "partners_due", "deal_due", "published"]
    list_filter = ["cohort", "published"]
    inlines = [SandboxOfferInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The pool lives in the sandbox collection only, never in the live one.
        with transaction.atomic():
            search_request(collection=sandbox.NAME, sources=[str(form.instance.pk)])
