"""Thin views over training services and selectors: parse input, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.core.languages import ContentLanguage, content_language_for_ui
from qiao.deals.models import AgreementType, ChecklistItem, Deal
from qiao.training import exporting, permissions, selectors, services, simulation
from qiao.training.forms import (
    ApplicationForm,
    AssignmentForm,
    CaseTagsForm,
    CaseTextForm,
    DecisionForm,
    GradeForm,
    JustificationForm,
    MaterialForm,
    NewCaseForm,
    SandboxOfferForm,
    SessionForm,
    TimeZoneForm,
)
from qiao.training.ical import sessions_ical
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Attempt,
    AttemptStatus,
    Case,
    Cohort,
    CurriculumArea,
    Enrolment,
    Material,
    SandboxOffer,
    Session,
    TrainingProgramme,
)
from qiao.training.timezones import COOKIE, viewer_time_zone

ONE_YEAR = 365 * 24 * 3600


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except ServiceError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def _content_language() -> str:
    """The content language matching the interface's, as the first choice of language fields."""
    return content_language_for_ui(get_language())


def _cohort_or_404(pk: int) -> Cohort:
    try:
        return selectors.cohort_get(cohort_id=pk)
    except Cohort.DoesNotExist as missing:
        raise Http404(_("No such cohort.")) from missing


def _session_or_404(pk: int) -> Session:
    try:
        return selectors.session_get(session_id=pk)
    except Session.DoesNotExist as missing:
        raise Http404(_("No such session.")) from missing


def programme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "training/programme_list.html", {"programmes": selectors.programme_list()}
    )


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        programme = selectors.programme_get(programme_id=pk)
    except TrainingProgramme.DoesNotExist as missing:
        raise Http404(_("No such programme.")) from missing
    modules = list(programme.modules.all())
    areas = [
        (label, [m for m in modules if m.area == value]) for value, label in CurriculumArea.choices
    ]
    return render(
        request,
        "training/programme_detail.html",
        {"programme": programme, "areas": areas, "cohorts": programme.cohorts.all()},
    )


def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    zone = viewer_time_zone(request)
    enrolment = selectors.enrolment_of(user=request.user, cohort=cohort)
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "lecturers": selectors.cohort_lecturers(cohort=cohort),
            "sessions": selectors.cohort_sessions(cohort=cohort, viewer_zone=zone),
            "viewer_zone": zone,
            "zone_form": TimeZoneForm(initial={"time_zone": zone}),
            "enrolment": enrolment,
            "can_apply": enrolment is None and permissions.can_apply(request.user, cohort),
            "can_withdraw": enrolment is not None
            and permissions.can_withdraw(request.user, enrolment),
            "application_form": ApplicationForm(),
            "can_manage": permissions.can_manage_cohort(request.user),
            "places_left": max(cohort.capacity - cohort.accepted_count, 0),  # type: ignore[attr-defined]
            "assignments": selectors.assignments_for(user=request.user, cohort=cohort),
            "can_see_progress": permissions.can_view_progress(request.user, cohort),
            "can_create_assignment": permissions.can_create_assignment(request.user, cohort),
        },
    )


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=pk)
    user = acting_user(request)
    if not permissions.can_apply(user, cohort):
        raise PermissionDenied(_("You may not apply to this cohort."))
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("training:cohort", pk=pk)
    _run(
        request,
        lambda: services.enrolment_apply(
            actor=user,
            cohort=cohort,
            motivation=form.cleaned_data["motivation"],
            motivation_language=form.cleaned_data["motivation_language"],
        ),
        _("Your application was received."),
    )
    return redirect("training:cohort", pk=pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment, pk=pk)
    user = acting_user(request)
    if not permissions.can_withdraw(user, enrolment):
        raise PermissionDenied(_("You may not withdraw this application."))
    _run(
        request,
        lambda: services.enrolment_withdraw(actor=user, enrolment=enrolment),
        _("Your application was withdrawn."),
    )
    return redirect("training:cohort", pk=enrolment.cohort_id)


@login_required
def applications(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    if not permissions.can_manage_cohort(request.user):
        raise PermissionDenied(_("Only the secretariat decides on applications."))
    return render(
        request,
        "training/applications.html",
        {
            "cohort": cohort,
            "applications": selectors.applications_for_management(user=request.user, cohort=cohort),
            "decision_form": DecisionForm(),
            "places_left": max(cohort.capacity - cohort.accepted_count, 0),  # type: ignore[attr-defined]
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment, pk=pk)
    user = acting_user(request)
    if not permissions.can_manage_cohort(user):
        raise PermissionDenied(_("Only the secretariat decides on applications."))
    if status not in services.DECISIONS:
        raise Http404(_("No such decision."))
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.enrolment_decide(
            actor=user, enrolment=enrolment, status=status, reason=reason
        ),
        _("The decision was recorded: %(status)s.") % {"status": ApplicationStatus(status).label},
    )
    return redirect("training:applications", pk=enrolment.cohort_id)


@login_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = acting_user(request)
    if not permissions.can_manage_cohort(user):
        raise PermissionDenied(_("Only the secretariat plans sessions."))
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=user,
                cohort=cohort,
                module=data["module"],
                titles={code: data[f"title_{code}"] for code in ("zh", "ru", "en")},
                day=data["day"],
                start=data["start"],
                end=data["end"],
                time_zone=data["time_zone"],
                place=data["place"],
                online_link=data["online_link"],
                lecturers=list(data["lecturers"]),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session was added."))
            return redirect("training:session", pk=session.pk)
    return render(request, "training/session_form.html", {"cohort": cohort, "form": form})


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    zone = viewer_time_zone(request)
    can_record = permissions.can_record_attendance(request.user, session)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "times": selectors.session_times(session, zone),
            "viewer_zone": zone,
            "zone_form": TimeZoneForm(initial={"time_zone": zone}),
            "lecturers": session.lecturers.select_related("user", "organization"),
            "show_details": permissions.can_see_session_details(request.user, session),
            "can_record": can_record,
            "sheet": selectors.attendance_sheet(user=request.user, session=session)
            if can_record
            else [],
            "can_manage_materials": permissions.can_manage_materials(request.user, session),
            "material_form": MaterialForm(initial={"language": _content_language()}),
        },
    )


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    user = acting_user(request)
    if not permissions.can_record_attendance(user, session):
        raise PermissionDenied(_("Only the session's lecturers record attendance."))
    trainees = [
        enrolment for enrolment, _was in selectors.attendance_sheet(user=user, session=session)
    ]
    present = {e.pk: request.POST.get(f"present-{e.pk}") == "on" for e in trainees}
    _run(
        request,
        lambda: services.attendance_record(actor=user, session=session, present=present),
        _("Attendance was saved."),
    )
    return redirect("training:session", pk=pk)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    sessions = selectors.my_sessions(user=request.user)
    response = HttpResponse(sessions_ical(sessions), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qiao-training.ics"'
    return response


@require_POST
def set_time_zone(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/training/"
    response = redirect(target)
    if form.is_valid():
        response.set_cookie(
            COOKIE, form.cleaned_data["time_zone"], max_age=ONE_YEAR, samesite="Lax"
        )
    else:
        messages.error(request, _("Choose a time zone from the list."))
    return response


# --- case library -----------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_case_library(request.user):
        raise PermissionDenied(_("The case library is for the programme's trainees and lecturers."))
    query = request.GET.get("q", "")[:500]
    return render(
        request,
        "training/case_list.html",
        {
            "cases": selectors.case_list(user=request.user, query=query),
            "query": query,
            "can_teach": permissions.can_teach_cases(request.user),
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.case_get(case_id=pk)
    except Case.DoesNotExist as missing:
        raise Http404(_("No such case.")) from missing
    if not permissions.can_view_case(request.user, case):
        raise PermissionDenied(_("You may not read this case."))
    texts = {t.language: t for t in case.texts.all()}
    wanted = request.GET.get("lang", "")
    text = texts.get(wanted) or case.text()
    return render(
        request,
        "training/case_detail.html",
        {
            "case": case,
            "text": text,
            "case_languages": [
                (code, label) for code, label in ContentLanguage.choices if code in texts
            ],
            "can_teach": permissions.can_teach_cases(request.user),
        },
    )


@login_required
@require_POST
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=pk)
    user = acting_user(request)
    if not permissions.can_teach_cases(user):
        raise PermissionDenied(_("Only lecturers and the secretariat publish cases."))
    published = request.POST.get("published") == "1"
    _run(
        request,
        lambda: services.case_publish(actor=user, case=case, published=published),
        _("The case is published.") if published else _("The case is withdrawn from the library."),
    )
    return redirect("training:case", pk=pk)


@login_required
def deal_case(request: HttpRequest, deal_pk: int) -> HttpResponse:
    deal = get_object_or_404(Deal.objects.select_related("owner", "partner"), pk=deal_pk)
    user = acting_user(request)
    if not (
        permissions.can_consent_to_case(user, deal)
        or permissions.can_turn_deal_into_case(user, deal)
    ):
        raise PermissionDenied(_("Only the parties of a won deal decide on a teaching case."))
    if request.method == "POST":
        if request.POST.get("action") == "consent":
            if not permissions.can_consent_to_case(user, deal):
                raise PermissionDenied(
                    _("Only the parties of a won deal consent to a teaching case.")
                )
            _run(
                request,
                lambda: services.case_consent(actor=user, deal=deal),
                _("Your organisation's consent was recorded."),
            )
        else:
            if not permissions.can_turn_deal_into_case(user, deal):
                raise PermissionDenied(
                    _("Only the deal's technology manager or the secretariat may do this.")
                )
            try:
                case = services.case_from_deal(actor=user, deal=deal)
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("A draft case was written; check it before publishing.")
                )
                return redirect("training:case", pk=case.pk)
        return redirect("training:deal-case", deal_pk=deal.pk)
    consents = selectors.case_consents(deal=deal)
    return render(
        request,
        "training/deal_case.html",
        {
            "deal": deal,
            "parties": [(org, org.pk in consents) for org in (deal.owner, deal.partner)],
            "can_consent": permissions.can_consent_to_case(user, deal)
            and user.organization_id not in consents,
            "can_create": permissions.can_turn_deal_into_case(user, deal),
            "existing": Case.objects.filter(source_deal=deal).first(),
        },
    )


# --- practical simulation -----------------------------------------------------------------------


def _assignment_or_404(pk: int) -> Assignment:
    try:
        return Assignment.objects.select_related("cohort__programme").get(pk=pk)
    except Assignment.DoesNotExist as missing:
        raise Http404(_("No such assignment.")) from missing


def _attempt_or_404(pk: int) -> Attempt:
    try:
        return Attempt.objects.select_related("assignment__cohort", "enrolment__user").get(pk=pk)
    except Attempt.DoesNotExist as missing:
        raise Http404(_("No such simulation.")) from missing


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(pk)
    if not permissions.can_view_assignment(request.user, assignment):
        raise PermissionDenied(_("This simulation is for the cohort's trainees and lecturers."))
    can_manage = permissions.can_manage_assignment(request.user, assignment)
    return render(
        request,
        "training/assignment_detail.html",
        {
            "assignment": assignment,
            "attempt": selectors.attempt_of(user=request.user, assignment=assignment),
            "can_start": permissions.can_start_attempt(request.user, assignment),
            "can_manage": can_manage,
            "reference": assignment.offers.filter(is_reference=True) if can_manage else [],
            "attempts": selectors.attempts_for_grading(user=request.user, assignment=assignment),
            "leaderboard": selectors.leaderboard(user=request.user, assignment=assignment),
            "show_leaderboard": permissions.can_see_leaderboard(request.user, assignment),
        },
    )


@login_required
@require_POST
def attempt_start(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(pk)
    user = acting_user(request)
    if not permissions.can_start_attempt(user, assignment):
        raise PermissionDenied(_("Only the cohort's trainees work on its simulations."))
    attempt = simulation.attempt_start(actor=user, assignment=assignment)
    return redirect("training:attempt", pk=attempt.pk)


@login_required
@require_POST
def leaderboard_visibility(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(pk)
    user = acting_user(request)
    if not permissions.can_manage_assignment(user, assignment):
        raise PermissionDenied(_("Only the cohort's lecturers show or hide the leaderboard."))
    hidden = request.POST.get("hidden") == "1"
    simulation.leaderboard_set_hidden(actor=user, assignment=assignment, hidden=hidden)
    messages.success(
        request,
        _("The leaderboard is hidden from trainees.")
        if hidden
        else _("Trainees see the leaderboard."),
    )
    return redirect("training:assignment", pk=pk)


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt_or_404(pk)
    if not permissions.can_view_attempt(request.user, attempt):
        raise PermissionDenied(_("You may not see this simulation."))
    query = request.GET.get("q", "")[:500]
    return render(
        request,
        "training/attempt_detail.html",
        {
            "attempt": attempt,
            "assignment": attempt.assignment,
            "workspace": selectors.attempt_workspace(attempt=attempt, query=query),
            "query": query,
            "can_work": permissions.can_work_attempt(request.user, attempt)
            and attempt.status == AttemptStatus.WORKING,
            "can_grade": permissions.can_grade_attempt(request.user, attempt)
            and attempt.status == AttemptStatus.SUBMITTED,
            "agreement_types": AgreementType.choices,
            "justification_form": JustificationForm(),
            "grade_form": GradeForm(
                initial={"rubric_score": attempt.rubric_score, "feedback": attempt.feedback}
            ),
        },
    )


ATTEMPT_ACTIONS = (
    "choose",
    "unchoose",
    "tick",
    "untick",
    "agreement",
    "advance",
    "submit",
    "grade",
)


@login_required
@require_POST
def attempt_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    attempt = _attempt_or_404(pk)
    user = acting_user(request)
    if action not in ATTEMPT_ACTIONS:
        raise Http404(_("No such action."))
    if action == "grade":
        if not permissions.can_grade_attempt(user, attempt):
            raise PermissionDenied(_("Only the cohort's lecturers grade simulations."))
        form = GradeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a rubric score from 0 to 100."))
            return redirect("training:attempt", pk=pk)
        _run(
            request,
            lambda: simulation.attempt_grade(
                actor=user,
                attempt=attempt,
                rubric_score=form.cleaned_data["rubric_score"],
                feedback=form.cleaned_data["feedback"],
            ),
            _("The grade and feedback were saved."),
        )
        return redirect("training:attempt", pk=pk)
    if not permissions.can_work_attempt(user, attempt):
        raise PermissionDenied(_("Only the trainee works on their simulation."))
    back = request.POST.get("q", "")
    target = reverse("training:attempt", args=[pk]) + (f"?{urlencode({'q': back})}" if back else "")
    if action in ("choose", "unchoose"):
        offer = get_object_or_404(SandboxOffer, pk=request.POST.get("offer", 0) or 0)
        _run(
            request,
            lambda: simulation.attempt_choose_partner(
                actor=user, attempt=attempt, offer=offer, chosen=action == "choose"
            ),
            _("Partner chosen.") if action == "choose" else _("Partner removed."),
        )
    elif action in ("tick", "untick"):
        item = get_object_or_404(ChecklistItem, pk=request.POST.get("item", 0) or 0)
        _run(
            request,
            lambda: simulation.attempt_tick(
                actor=user, attempt=attempt, item=item, done=action == "tick"
            ),
            _("Checklist updated."),
        )
    elif action == "agreement":
        _run(
            request,
            lambda: simulation.attempt_set_agreement(
                actor=user, attempt=attempt, agreement_type=request.POST.get("agreement_type", "")
            ),
            _("Agreement type recorded."),
        )
    elif action == "advance":
        _run(
            request,
            lambda: simulation.attempt_advance(actor=user, attempt=attempt),
            _("The simulated deal moved on."),
        )
    else:
        submission = JustificationForm(request.POST)
        if not submission.is_valid():
            messages.error(request, _("Justify your choice of partners."))
            return redirect(target)
        _run(
            request,
            lambda: simulation.attempt_submit(
                actor=user,
                attempt=attempt,
                justification=submission.cleaned_data["justification"],
                language=submission.cleaned_data["language"],
            ),
            _("Your simulation was submitted and scored."),
        )
    return redirect(target)


# --- dashboards ---------------------------------------------------------------------------------


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export(
    fmt: str, stem: str, title: str, table: tuple[list[str], list[list[object]]]
) -> HttpResponse:
    headers, rows = table
    if fmt == "csv":
        response = HttpResponse(exporting.to_csv(headers, rows), content_type=EXPORT_TYPES[fmt])
    elif fmt == "xlsx":
        response = HttpResponse(
            exporting.to_xlsx(title, headers, rows), content_type=EXPORT_TYPES[fmt]
        )
    else:
        raise Http404(_("Unknown export format."))
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{fmt}"'
    return response


def _chart(labels: list[str], datasets: list[tuple[str, list[int | None]]]) -> dict[str, Any]:
    return {
        "labels": labels,
        "datasets": [{"label": label, "values": values} for label, values in datasets],
    }


@login_required
def cohort_progress(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    if not permissions.can_view_progress(request.user, cohort):
        raise PermissionDenied(_("Only the cohort's lecturers and the secretariat see progress."))
    report = selectors.cohort_progress(user=request.user, cohort=cohort)
    fmt = request.GET.get("format")
    if fmt:
        return _export(
            fmt,
            f"qiao-training-progress-{cohort.pk}",
            _("Progress"),
            exporting.progress_table(report),
        )
    averages = report.module_averages()
    return render(
        request,
        "training/progress.html",
        {
            "cohort": cohort,
            "report": report,
            "assignments": report.assignments,
            "rows": report.rows,
            "averages": averages,
            "chart": {
                "modules": _chart(
                    [title for title, _percent, _score in averages],
                    [
                        (_("Attendance rate (%)"), [percent for _t, percent, _s in averages]),
                        (_("Average simulation score"), [score for _t, _p, score in averages]),
                    ],
                )
            },
        },
    )


@login_required
def numbers(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_numbers(request.user):
        raise PermissionDenied(_("Only the secretariat sees the enrolment numbers."))
    cohorts = selectors.enrolment_numbers(user=request.user)
    fmt = request.GET.get("format")
    if fmt:
        return _export(
            fmt, "qiao-training-numbers", _("Training numbers"), exporting.numbers_table(cohorts)
        )
    funnels = [(cohort, selectors.cohort_funnel(cohort=cohort)) for cohort in cohorts]
    steps = [step.label for step in funnels[0][1]] if funnels else []
    return render(
        request,
        "training/numbers.html",
        {
            "cohorts": cohorts,
            "funnels": funnels,
            "steps": steps,
            "chart": {
                "funnel": _chart(
                    steps,
                    [
                        (cohort.title(), [step.count for step in funnel])
                        for cohort, funnel in funnels
                    ],
                )
            },
        },
    )


# --- authoring ----------------------------------------------------------------------------------


def _case_or_404(pk: int) -> Case:
    try:
        return selectors.case_get(case_id=pk)
    except Case.DoesNotExist as missing:
        raise Http404(_("No such case.")) from missing


def _require_case_author(request: HttpRequest) -> None:
    if not permissions.can_author_cases(request.user):
        raise PermissionDenied(_("Only lecturers and the secretariat write cases."))


def _tags(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "sectors": list(data["sectors"]),
        "stage": data["stage"],
        "agreement_type": data["agreement_type"],
        "lessons": data["lessons"],
    }


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    _require_case_author(request)
    user = acting_user(request)
    form = NewCaseForm(request.POST or None, initial={"language": _content_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=user,
                language=data["language"],
                text={name: data[name] for name in services.CASE_TEXT_FIELDS},
                **_tags(data),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft case was saved."))
            return redirect("training:case-edit", pk=case.pk)
    return render(request, "training/case_new.html", {"form": form})


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_case_author(request)
    case = _case_or_404(pk)
    user = acting_user(request)
    initial = {
        "sectors": list(case.sectors.all()),
        "stage": case.stage,
        "agreement_type": case.agreement_type,
        "lessons": case.lessons,
    }
    form = CaseTagsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(actor=user, case=case, **_tags(form.cleaned_data))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The case's tags were saved."))
            return redirect("training:case-edit", pk=pk)
    texts = {t.language: t for t in case.texts.all()}
    return render(
        request,
        "training/case_edit.html",
        {
            "case": case,
            "form": form,
            "versions": [(code, label, texts.get(code)) for code, label in ContentLanguage.choices],
        },
    )


@login_required
def case_text_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    _require_case_author(request)
    case = _case_or_404(pk)
    if language not in ContentLanguage.values:
        raise Http404(_("No such language."))
    user = acting_user(request)
    existing = case.texts.filter(language=language).first()
    initial = (
        {name: getattr(existing, name) for name in services.CASE_TEXT_FIELDS} if existing else {}
    )
    form = CaseTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_text_save(
                actor=user, case=case, language=language, text=form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The text was saved."))
            return redirect("training:case-edit", pk=pk)
    return render(
        request,
        "training/case_text_form.html",
        {
            "case": case,
            "form": form,
            "language": language,
            "language_label": ContentLanguage(language).label,
            "others": [t for t in case.texts.all() if t.language != language],
        },
    )


@login_required
def assignment_new(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = acting_user(request)
    if not permissions.can_create_assignment(user, cohort):
        raise PermissionDenied(
            _("Only the cohort's lecturers and the secretariat write assignments.")
        )
    form = AssignmentForm(request.POST or None, cohort=cohort, zone=viewer_time_zone(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                actor=user,
                cohort=cohort,
                module=data["module"],
                titles=form.titles(),
                situations=form.situations(),
                partners_due=data["partners_due"],
                deal_due=data["deal_due"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The draft assignment was saved. Now add the offers of its pool.")
            )
            return redirect("training:assignment-edit", pk=assignment.pk)
    return render(request, "training/assignment_form.html", {"cohort": cohort, "form": form})


def _require_assignment_manager(request: HttpRequest, assignment: Assignment) -> None:
    if not permissions.can_manage_assignment(request.user, assignment):
        raise PermissionDenied(
            _("Only the cohort's lecturers and the secretariat write assignments.")
        )


@login_required
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(pk)
    _require_assignment_manager(request, assignment)
    user = acting_user(request)
    form = AssignmentForm(
        request.POST or None,
        cohort=assignment.cohort,
        assignment=assignment,
        zone=viewer_time_zone(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_update(
                actor=user,
                assignment=assignment,
                module=data["module"],
                titles=form.titles(),
                situations=form.situations(),
                partners_due=data["partners_due"],
                deal_due=data["deal_due"],
                published=data.get("published", False),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The assignment was saved."))
            return redirect("training:assignment-edit", pk=pk)
    return render(
        request,
        "training/assignment_form.html",
        {
            "cohort": assignment.cohort,
            "assignment": assignment,
            "form": form,
            "offers": selectors.assignment_pool(user=user, assignment=assignment),
            "offer_form": SandboxOfferForm(initial={"language": _content_language()}),
        },
    )


@login_required
def offer_new(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(pk)
    _require_assignment_manager(request, assignment)
    return _offer_form(request, assignment, None)


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(SandboxOffer.objects.select_related("assignment__cohort"), pk=pk)
    _require_assignment_manager(request, offer.assignment)
    return _offer_form(request, offer.assignment, offer)


def _offer_form(
    request: HttpRequest, assignment: Assignment, offer: SandboxOffer | None
) -> HttpResponse:
    user = acting_user(request)
    initial = (
        {
            "language": offer.language,
            "organization_name": offer.organization_name,
            "title": offer.title,
            "summary": offer.summary,
            "is_reference": offer.is_reference,
        }
        if offer
        else {}
    )
    form = SandboxOfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.sandbox_offer_save(
                actor=user, assignment=assignment, offer=offer, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The pool was saved."))
            return redirect("training:assignment-edit", pk=assignment.pk)
    return render(
        request,
        "training/offer_form.html",
        {"assignment": assignment, "offer": offer, "form": form},
    )


@login_required
@require_POST
def offer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    offer = get_object_or_404(SandboxOffer.objects.select_related("assignment__cohort"), pk=pk)
    user = acting_user(request)
    _require_assignment_manager(request, offer.assignment)
    if action == "delete":
        _run(
            request,
            lambda: services.sandbox_offer_delete(actor=user, offer=offer),
            _("The offer was removed from the pool."),
        )
    elif action == "reference":
        marked = request.POST.get("is_reference") == "1"
        _run(
            request,
            lambda: services.sandbox_offer_set_reference(
                actor=user, offer=offer, is_reference=marked
            ),
            _("The offer is in the reference solution.")
            if marked
            else _("The offer is no longer in the reference solution."),
        )
    else:
        raise Http404(_("No such action."))
    return redirect("training:assignment-edit", pk=offer.assignment_id)


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    user = acting_user(request)
    if not permissions.can_manage_materials(user, session):
        raise PermissionDenied(_("Only the cohort's lecturers and the secretariat add materials."))
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("training:session", pk=pk)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.material_add(
            actor=user,
            session=session,
            title=data["title"],
            language=data["language"],
            url=data["url"] or "",
            upload=data["file"],
        ),
        _("The material was added."),
    )
    return redirect("training:session", pk=pk)


def _material_or_404(pk: int) -> Material:
    try:
        return Material.objects.select_related("session__cohort").get(pk=pk)
    except Material.DoesNotExist as missing:
        raise Http404(_("No such material.")) from missing


@login_required
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = _material_or_404(pk)
    if not permissions.can_download_material(request.user, material.session):
        raise PermissionDenied(_("Materials are for the cohort's trainees and lecturers."))
    if not material.file:
        raise Http404(_("No such material."))
    response = FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.file_name
    )
    response["Content-Type"] = material.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def material_remove(request: HttpRequest, pk: int) -> HttpResponse:
    material = _material_or_404(pk)
    user = acting_user(request)
    if not permissions.can_manage_materials(user, material.session):
        raise PermissionDenied(_("Only the cohort's lecturers and the secretariat add materials."))
    _run(
        request,
        lambda: services.material_remove(actor=user, material=material),
        _("The material was removed."),
    )
    return redirect("training:session", pk=material.session_id)
