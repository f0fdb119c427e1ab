from django.contrib import admin

from qiao.assessment.models import (
    Certificate,
    CertificateEvent,
    CompletionRule,
    Question,
    Quiz,
    QuizAttempt,
)


class QuestionInline(admin.StackedInline[Question, Quiz]):
    model = Question
    extra = 0
    fields = ["kind", "text_zh", "text_ru", "text_en", "options", "correct", "active"]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin[Quiz]):
    list_display = [
        "__str__",
        "questions_per_attempt",
        "time_limit_minutes",
        "pass_mark",
        "published",
    ]
    inlines = [QuestionInline]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin[QuizAttempt]):
    list_display = ["__str__", "status", "score", "passed", "timed_out", "reopened_at"]
    list_filter = ["status", "passed"]
    readonly_fields = ["seed", "question_ids", "answers", "started_at", "deadline", "submitted_at"]


@admin.register(CompletionRule)
class CompletionRuleAdmin(admin.ModelAdmin[CompletionRule]):
    list_display = ["__str__", "min_attendance_percent", "require_quizzes", "require_simulations"]


class CertificateEventInline(admin.TabularInline[CertificateEvent, Certificate]):
    model = CertificateEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin[Certificate]):
    """Read-only here: issue and revoke through the app, so the audit trail stays complete."""

    list_display = ["number", "holder_name", "issued_at", "revoked_at"]
    search_fields = ["number", "holder_name"]
    inlines = [CertificateEventInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
