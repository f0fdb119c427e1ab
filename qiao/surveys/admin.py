"""The secretariat builds questionnaires here: a questionnaire, its versions, each version's
questions with trilingual wording. A version that was sent is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qiao.surveys.models import Question, Questionnaire, QuestionnaireVersion


class QuestionInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Question
    extra = 1
    fields = (
        ("position", "kind", "required", "maps_to"),
        "text_zh",
        "text_ru",
        "text_en",
        "options",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.frozen_at is None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.frozen_at is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.frozen_at is None


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("questionnaire", "number", "frozen_at")
    readonly_fields = ("frozen_at",)
    inlines = [QuestionInline]


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = QuestionnaireVersion
    extra = 0
    fields = ("number", "frozen_at")
    readonly_fields = ("frozen_at",)
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title_zh", "title_ru", "title_en", "created_at", "is_sample")
    inlines = [VersionInline]
