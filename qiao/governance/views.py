"""Thin views over governance services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.governance import permissions, selectors, services
from qiao.governance.forms import (
    AppointForm,
    CharterVersionForm,
    DecisionForm,
    EndForm,
    ExpertForm,
    MeetingForm,
    MinutesForm,
    correction_form,
)
from qiao.governance.models import (
    RECORD_MODELS,
    CharterVersion,
    CouncilTerm,
    Decision,
    ExpertMember,
    GoverningMeeting,
    MinutesVersion,
)


def overview(request: HttpRequest) -> HttpResponse:
    can_see_meetings = permissions.can_see_meetings(request.user)
    return render(
        request,
        "governance/overview.html",
        {
            "overview": selectors.overview(),
            "meetings": selectors.meetings(user=request.user) if can_see_meetings else None,
            "can_record": permissions.can_record(request.user),
            "end_form": EndForm(),
            "council_corrections": selectors.all_corrections(kind="council"),
            "expert_corrections": selectors.all_corrections(kind="expert"),
        },
    )


def charter_version(request: HttpRequest, version: int) -> HttpResponse:
    charter = get_object_or_404(CharterVersion, version=version)
    return render(
        request,
        "governance/charter.html",
        {
            "charter": charter,
            "corrections": selectors.corrections(kind="charter", record_ids=[charter.pk])[
                charter.pk
            ],
            "can_record": permissions.can_record(request.user),
        },
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_see_meetings(request.user):
        raise PermissionDenied(_("Meeting records are for member organisations."))
    try:
        meeting = selectors.meeting_get(user=request.user, meeting_id=pk)
    except GoverningMeeting.DoesNotExist as missing:
        raise Http404(_("No such meeting.")) from missing
    decision_corrections = selectors.corrections(
        kind="decision", record_ids=[d.pk for d in meeting.decisions.all()]
    )
    return render(
        request,
        "governance/meeting.html",
        {
            "meeting": meeting,
            "minutes": list(meeting.minutes.all()),
            "can_record": permissions.can_record(request.user),
            "corrections": selectors.corrections(kind="meeting", record_ids=[meeting.pk])[
                meeting.pk
            ],
            "decisions": [
                (decision, decision_corrections[decision.pk])
                for decision in meeting.decisions.all()
            ],
        },
    )


def _record(
    request: HttpRequest,
    form_class: type[forms.ModelForm[Any]],
    save: Callable[[Any], Any],
    *,
    title: str,
    done: str,
    instance: Any = None,
    back: str = "",
) -> HttpResponse:
    if not permissions.can_record(request.user):
        raise PermissionDenied(_("Only the secretariat records governance."))
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance)
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(back or "governance:overview")
    return render(request, "governance/form.html", {"form": form, "title": title})


@login_required
def charter_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return _record(
        request,
        CharterVersionForm,
        lambda v: services.charter_version_add(actor=user, version=v),
        title=_("New charter version"),
        done=_("The charter version was recorded."),
    )


@login_required
def council_appoint(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return _record(
        request,
        AppointForm,
        lambda t: services.council_appoint(actor=user, term=t),
        title=_("Appoint to the council"),
        done=_("The appointment was recorded."),
    )


@login_required
def expert_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return _record(
        request,
        ExpertForm,
        lambda e: services.expert_add(actor=user, expert=e),
        title=_("Add an expert committee member"),
        done=_("The expert was added."),
    )


@login_required
def meeting_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return _record(
        request,
        MeetingForm,
        lambda m: services.meeting_create(actor=user, meeting=m),
        title=_("New meeting"),
        done=_("The meeting was recorded."),
    )


@login_required
def minutes_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    meeting = get_object_or_404(GoverningMeeting, pk=pk)
    return _record(
        request,
        MinutesForm,
        lambda m: services.minutes_add(actor=user, minutes=m),
        title=_("New version of the minutes"),
        done=_("The minutes were recorded."),
        instance=MinutesVersion(meeting=meeting),
        back=reverse("governance:meeting", args=[meeting.pk]),
    )


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    meeting = get_object_or_404(GoverningMeeting, pk=pk)
    return _record(
        request,
        DecisionForm,
        lambda d: services.decision_add(actor=user, decision=d),
        title=_("New decision"),
        done=_("The decision was recorded."),
        instance=Decision(meeting=meeting),
        back=reverse("governance:meeting", args=[meeting.pk]),
    )


@login_required
@require_POST
def term_end(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = acting_user(request)
    if not permissions.can_record(user):
        raise PermissionDenied(_("Only the secretariat records governance."))
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the end date."))
        return redirect("governance:overview")
    ends_on = form.cleaned_data["ends_on"]
    try:
        if kind == "council":
            services.council_term_end(
                actor=user, term=get_object_or_404(CouncilTerm, pk=pk), ends_on=ends_on
            )
        elif kind == "expert":
            services.expert_end(
                actor=user, expert=get_object_or_404(ExpertMember, pk=pk), ends_on=ends_on
            )
        else:
            raise Http404(_("Unknown action."))
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The end of the term was recorded."))
    return redirect("governance:overview")


def _after_correction(kind: str, record: Any) -> str:
    if kind == "charter":
        return reverse("governance:charter", args=[record.version])
    if kind == "meeting":
        return reverse("governance:meeting", args=[record.pk])
    if kind == "decision":
        return reverse("governance:meeting", args=[record.meeting_id])
    return reverse("governance:overview") + ("#council" if kind == "council" else "#experts")


@login_required
def correct(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Correct a record; what it said before is kept as a Correction."""
    if kind not in RECORD_MODELS:
        raise Http404(_("Unknown action."))
    if not permissions.can_record(request.user):
        raise PermissionDenied(_("Only the secretariat records governance."))
    user = acting_user(request)
    record = get_object_or_404(RECORD_MODELS[kind], pk=pk)
    form = correction_form(kind)(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_correct(
                actor=user, record=form.instance, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The correction was recorded; the earlier values are kept.")
            )
            return redirect(_after_correction(kind, record))
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "title": _("Correct the record"),
            "corrections": selectors.corrections(kind=kind, record_ids=[pk])[pk],
        },
    )
