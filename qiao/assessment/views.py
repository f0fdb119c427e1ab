"""Thin views over assessment services and selectors: parse input, call one service, render."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.assessment import permissions, selectors, services
from qiao.assessment.forms import (
    CompletionRuleForm,
    QuestionForm,
    QuizForm,
    RevokeForm,
    VerifyForm,
)
from qiao.assessment.models import (
    Certificate,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizAttemptStatus,
)
from qiao.assessment.pdf import CertificateFontMissing
from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.core.spreadsheets import csv_writer
from qiao.training.models import Cohort, Module, TimeZoneChoice, TrainingProgramme
from qiao.training.timezones import viewer_time_zone

logger = logging.getLogger(__name__)


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except ServiceError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def _cohort_or_404(pk: int) -> Cohort:
    try:
        return Cohort.objects.select_related("programme").get(pk=pk)
    except Cohort.DoesNotExist as missing:
        raise Http404(_("No such cohort.")) from missing


def _attempt_or_404(pk: int) -> QuizAttempt:
    try:
        return QuizAttempt.objects.select_related(
            "quiz__module", "enrolment__cohort__programme", "enrolment__user"
        ).get(pk=pk)
    except QuizAttempt.DoesNotExist as missing:
        raise Http404(_("No such quiz attempt.")) from missing


def _certificate_or_404(pk: int) -> Certificate:
    try:
        return selectors.certificate_get(certificate_id=pk)
    except Certificate.DoesNotExist as missing:
        raise Http404(_("No such certificate.")) from missing


# --- a cohort's assessment: quizzes, my status, my certificate ------------------------------------


@login_required
def cohort_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    if not permissions.can_view_assessment(request.user, cohort):
        raise PermissionDenied(_("Assessment is for the cohort's trainees and lecturers."))
    programme = cohort.programme
    can_author = permissions.can_author_quizzes(request.user, programme)
    quizzes = selectors.quizzes_for_cohort(user=request.user, cohort=cohort)
    with_quiz = {row.quiz.module_id for row in quizzes}
    return render(
        request,
        "assessment/cohort.html",
        {
            "cohort": cohort,
            "quizzes": quizzes,
            "modules_without_quiz": [m for m in programme.modules.all() if m.pk not in with_quiz]
            if can_author
            else [],
            "can_author": can_author,
            "mine": selectors.my_completion(user=request.user, cohort=cohort),
            "rule": selectors.completion_rule(programme=programme),
            "can_see_completion": permissions.can_view_completion(request.user, cohort),
            "can_set_rules": permissions.can_set_completion_rules(request.user),
        },
    )


@login_required
@require_POST
def quiz_start(request: HttpRequest, pk: int, quiz_pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    quiz = get_object_or_404(Quiz.objects.select_related("module"), pk=quiz_pk)
    user = acting_user(request)
    if not permissions.can_take_quiz(user, quiz, cohort):
        raise PermissionDenied(_("Only the cohort's trainees take its quizzes."))
    try:
        attempt = services.quiz_attempt_start(actor=user, quiz=quiz, cohort=cohort)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("assessment:cohort", pk=pk)
    return redirect("assessment:attempt", pk=attempt.pk)


def _answers(request: HttpRequest, attempt: QuizAttempt) -> dict[int, list[int]]:
    answers = {}
    for qid in attempt.question_ids:
        values = request.POST.getlist(f"q-{qid}")
        answers[qid] = [int(v) for v in values if v.isdigit()]
    return answers


@login_required
def quiz_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt_or_404(pk)
    user = acting_user(request)
    if not permissions.can_view_quiz_attempt(user, attempt):
        raise PermissionDenied(_("You may not see this quiz attempt."))
    if request.method == "POST":
        if attempt.enrolment.user_id != user.pk:
            raise PermissionDenied(_("Only the trainee answers their quiz."))
        submit = request.POST.get("action") == "submit"
        try:
            attempt = services.quiz_attempt_answer(
                actor=user, attempt=attempt, answers=_answers(request, attempt), submit=submit
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            if attempt.timed_out:
                messages.warning(
                    request,
                    _(
                        "The time was up: your last answers were not accepted. "
                        "What you had saved before the deadline was scored."
                    ),
                )
            elif submit:
                messages.success(request, _("Your answers were submitted and scored."))
            else:
                messages.success(request, _("Your answers were saved."))
        return redirect("assessment:attempt", pk=pk)
    attempt = services.quiz_attempt_close_if_expired(attempt=attempt)
    zone = viewer_time_zone(request)
    done = attempt.status == QuizAttemptStatus.SUBMITTED
    return render(
        request,
        "assessment/attempt.html",
        {
            "attempt": attempt,
            "cohort": attempt.enrolment.cohort,
            "questions": selectors.attempt_questions(attempt=attempt),
            "can_answer": not done and attempt.enrolment.user_id == user.pk,
            "done": done,
            "can_reopen": done
            and attempt.reopened_at is None
            and permissions.can_reopen_quiz_attempt(user, attempt),
            "single": QuestionKind.SINGLE,
            "deadline_ms": int(attempt.deadline.timestamp() * 1000),
            "deadline": attempt.deadline.astimezone(ZoneInfo(zone)).strftime("%H:%M"),
            "zone": TimeZoneChoice(zone).label if zone in TimeZoneChoice.values else zone,
        },
    )


@login_required
@require_POST
def quiz_attempt_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt_or_404(pk)
    user = acting_user(request)
    if not permissions.can_reopen_quiz_attempt(user, attempt):
        raise PermissionDenied(_("Only the cohort's lecturers and the secretariat reopen quizzes."))
    _run(
        request,
        lambda: services.quiz_attempt_reopen(actor=user, attempt=attempt),
        _("The trainee may take the quiz once more."),
    )
    return redirect("assessment:attempt", pk=pk)


# --- authoring ---------------------------------------------------------------------------------


@login_required
def quiz_edit(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = get_object_or_404(Module.objects.select_related("programme"), pk=module_pk)
    user = acting_user(request)
    if not permissions.can_author_quizzes(user, module.programme):
        raise PermissionDenied(
            _("Only the programme's lecturers and the secretariat edit quizzes.")
        )
    quiz = Quiz.objects.filter(module=module).first()
    initial = (
        {
            "questions_per_attempt": quiz.questions_per_attempt,
            "time_limit_minutes": quiz.time_limit_minutes,
            "pass_mark": quiz.pass_mark,
            "published": quiz.published,
        }
        if quiz
        else None
    )
    form = QuizForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            quiz = services.quiz_save(actor=user, module=module, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The quiz was saved."))
            return redirect("assessment:quiz", module_pk=module.pk)
    return render(
        request,
        "assessment/quiz_edit.html",
        {
            "module": module,
            "quiz": quiz,
            "form": form,
            "questions": selectors.question_bank(user=user, quiz=quiz) if quiz else [],
            "cohorts": module.programme.cohorts.all(),
        },
    )


def _question_form(request: HttpRequest, quiz: Quiz, question: Question | None) -> HttpResponse:
    user = acting_user(request)
    if not permissions.can_author_quizzes(user, quiz.module.programme):
        raise PermissionDenied(
            _("Only the programme's lecturers and the secretariat edit quizzes.")
        )
    initial = QuestionForm.initial_for(question) if question else {"active": True}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_save(
                actor=user,
                quiz=quiz,
                question=question,
                kind=data["kind"],
                texts={code: data[f"text_{code}"] for code in ("zh", "ru", "en")},
                options=data["options"],
                correct=data["correct_indexes"],
                explanations={code: data[f"explanation_{code}"] for code in ("zh", "ru", "en")},
                active=data["active"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question was saved."))
            return redirect("assessment:quiz", module_pk=quiz.module_id)
    return render(
        request,
        "assessment/question_form.html",
        {"quiz": quiz, "question": question, "form": form},
    )


@login_required
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.select_related("module__programme"), pk=pk)
    return _question_form(request, quiz, None)


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("quiz__module__programme"), pk=pk)
    return _question_form(request, question.quiz, question)


# --- completion and certificates -----------------------------------------------------------------


@login_required
def completion_rules(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(TrainingProgramme, pk=pk)
    user = acting_user(request)
    if not permissions.can_set_completion_rules(user):
        raise PermissionDenied(_("Only the secretariat sets the completion rules."))
    rule = selectors.completion_rule(programme=programme)
    form = CompletionRuleForm(
        request.POST or None,
        initial={
            "min_attendance_percent": rule.min_attendance_percent,
            "require_quizzes": rule.require_quizzes,
            "require_simulations": rule.require_simulations,
            "min_simulation_score": rule.min_simulation_score,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.completion_rule_save(actor=user, programme=programme, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The completion rules were saved."))
            return redirect("assessment:rules", pk=pk)
    return render(
        request, "assessment/rules.html", {"programme": programme, "form": form, "rule": rule}
    )


@login_required
def completion(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = acting_user(request)
    result = selectors.cohort_completion(user=user, cohort=cohort)
    if result is None:
        raise PermissionDenied(_("Only the cohort's lecturers and the secretariat see completion."))
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="qiao-completion-cohort-{cohort.pk}.csv"'
        )
        writer = csv_writer(response)
        writer.writerow(
            ["trainee", "attendance_percent"]
            + [f"quiz:{q.module}" for q in result.quizzes]
            + [f"simulation:{a.title()}" for a in result.assignments]
            + ["complete", "missing", "certificate"]
        )
        for row in result.rows:
            writer.writerow(
                [row.name, row.attendance_percent]
                + [s if s is not None else "" for s in row.quiz_scores]
                + [s if s is not None else "" for s in row.simulation_scores]
                + [int(row.complete), "; ".join(row.missing)]
                + [row.certificate.number if row.certificate else ""]
            )
        return response
    waiting = sum(1 for row in result.rows if row.complete and row.certificate is None)
    return render(
        request,
        "assessment/completion.html",
        {
            "cohort": cohort,
            "result": result,
            "waiting": waiting,
            "can_issue": permissions.can_issue_certificates(user, cohort),
            "can_revoke": permissions.can_revoke_certificate(user),
            "can_set_rules": permissions.can_set_completion_rules(user),
            "certificates": selectors.cohort_certificates(user=user, cohort=cohort),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_POST
def certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = acting_user(request)
    if not permissions.can_issue_certificates(user, cohort):
        raise PermissionDenied(
            _("Only the cohort's lecturers and the secretariat issue certificates.")
        )
    raw = request.POST.get("enrolment", "")
    enrolment_ids = [int(raw)] if raw.isdigit() else None
    try:
        issued = services.certificate_issue(actor=user, cohort=cohort, enrolment_ids=enrolment_ids)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Certificates issued: %(count)s. Their PDFs are being made.")
            % {"count": len(issued)},
        )
    return redirect("assessment:completion", pk=pk)


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_or_404(pk)
    user = acting_user(request)
    if not permissions.can_revoke_certificate(user):
        raise PermissionDenied(_("Only the secretariat revokes certificates."))
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.certificate_revoke(actor=user, certificate=certificate, reason=reason),
        _("The certificate was revoked."),
    )
    return redirect("assessment:completion", pk=certificate.enrolment.cohort_id)


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    certificate = _certificate_or_404(pk)
    user = acting_user(request)
    if not permissions.can_download_certificate(user, certificate):
        raise PermissionDenied(_("You may not download this certificate."))
    if not certificate.pdf:
        # The background task has not run yet (or no worker runs): make it now.
        try:
            certificate = services.certificate_render(certificate=certificate, actor=user)
        except CertificateFontMissing as missing:
            logger.error("certificate %s: %s", certificate.number, missing)
            messages.error(
                request,
                _("The certificate's PDF cannot be made on this server yet: a font is missing."),
            )
            return redirect("assessment:cohort", pk=certificate.enrolment.cohort_id)
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )


@login_required
def certificate_numbers(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_certificate_numbers(request.user):
        raise PermissionDenied(_("Only the secretariat sees the certification numbers."))
    rows = selectors.certificate_numbers(user=request.user)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="qiao-certificate-numbers.csv"'
        writer = csv_writer(response)
        writer.writerow(["cohort", "starts_on", *selectors.NUMBER_COLUMNS])
        for row in rows:
            writer.writerow(
                [row.cohort.title(), row.cohort.starts_on.isoformat()]
                + [getattr(row, column) for column in selectors.NUMBER_COLUMNS]
            )
        return response
    return render(request, "assessment/numbers.html", {"rows": rows})


# --- public verification -------------------------------------------------------------------------


def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        number = form.cleaned_data["number"].strip().upper().replace(" ", "")
        return redirect(reverse("assessment:verify-number", args=[number]))
    return render(request, "assessment/verify.html", {"form": form, "searched": False})


def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_verify(number=number)
    response = render(
        request,
        "assessment/verify.html",
        {
            "form": VerifyForm(initial={"number": number}),
            "searched": True,
            "number": number,
            "certificate": certificate,
        },
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
