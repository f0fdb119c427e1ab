"""Thin views over event services and selectors: parse input, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.events import permissions, selectors, services
from qiao.events.forms import (
    AgendaItemForm,
    CancelEventForm,
    EventForm,
    MeetingRequestForm,
    ReasonForm,
    SpeakerForm,
)
from qiao.events.models import (
    AgendaItem,
    Event,
    Meeting,
    Registration,
    RegistrationStatus,
    Speaker,
)

PAGE_SIZE = 20


def _event_or_404(pk: int) -> Event:
    try:
        return selectors.event_get(event_id=pk)
    except Event.DoesNotExist as missing:
        raise Http404(_("No such event.")) from missing


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except ServiceError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def event_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.event_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {"page": page, "can_manage": permissions.can_manage_event(request.user)},
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(pk)
    registration = selectors.registration_of(user=request.user, event=event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "seats_left": max(event.capacity - event.seats_taken, 0),  # type: ignore[attr-defined]
            "can_manage": permissions.can_manage_event(request.user),
            "can_edit": permissions.can_edit_event(request.user, event),
            "takes_part": permissions.takes_part_in_meetings(request.user, event),
        },
    )


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    user = acting_user(request)
    _run(
        request,
        lambda: services.event_register(actor=user, event=event),
        _("Your registration was received.")
        if event.requires_approval
        else _("You are registered."),
    )
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def cancel_registration(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=pk)
    user = acting_user(request)
    if not permissions.can_cancel_registration(user, registration):
        raise PermissionDenied(_("You may not cancel this registration."))
    _run(
        request,
        lambda: services.registration_cancel(actor=user, registration=registration),
        _("The registration was cancelled."),
    )
    if registration.user_id == user.pk:
        return redirect("events:detail", pk=registration.event_id)
    return redirect("events:manage", pk=registration.event_id)


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(pk)
    if not permissions.can_manage_event(request.user):
        raise PermissionDenied(_("Only the secretariat manages registrations."))
    registrations = selectors.registrations_for_management(user=request.user, event=event)
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "registrations": registrations,
            "statuses": RegistrationStatus,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def registration_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=pk)
    user = acting_user(request)
    if not permissions.can_manage_event(user):
        raise PermissionDenied(_("Only the secretariat manages registrations."))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "approve": (
            lambda: services.registration_decide(
                actor=user, registration=registration, approve=True
            ),
            _("The registration was approved."),
        ),
        "reject": (
            lambda: services.registration_decide(
                actor=user, registration=registration, approve=False, reason=reason
            ),
            _("The registration was refused."),
        ),
        "present": (
            lambda: services.attendance_set(actor=user, registration=registration, attended=True),
            _("Marked as present."),
        ),
        "absent": (
            lambda: services.attendance_set(actor=user, registration=registration, attended=False),
            _("Marked as absent."),
        ),
    }
    if action not in actions:
        raise Http404(_("Unknown action."))
    run, success = actions[action]
    _run(request, run, success)
    return redirect("events:manage", pk=registration.event_id)


@login_required
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(pk)
    user = acting_user(request)
    if not permissions.takes_part_in_meetings(user, event):
        raise PermissionDenied(
            _("Only representatives of registered organisations may request meetings.")
        )
    mine = user.organization
    assert mine is not None
    participants = selectors.participating_organizations(event=event)
    others = [o for o in participants if o.pk != mine.pk]
    partner = next((o for o in others if str(o.pk) == request.GET.get("with")), None)
    pair = [mine, partner] if partner else [mine]
    form = MeetingRequestForm(
        request.POST or None,
        participants=others,
        slots=selectors.free_slots(event=event, organizations=pair),
        initial={"invitee": partner.pk if partner else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            request,
            lambda: services.meeting_request(
                actor=user,
                event=event,
                invitee=data["invitee"],
                slot_start=data["slot"],
                message=data["message"],
            ),
            _("Your meeting request was sent."),
        ):
            return redirect("events:meetings", pk=pk)
    my_meetings = list(selectors.meetings_of(organization=mine, event=event))
    by_slot = {m.slot_start: m for m in my_meetings if m.is_active}
    return render(
        request,
        "events/meetings.html",
        {
            "event": event,
            "mine": mine,
            "form": form,
            "partner": partner,
            "schedule": [(slot, by_slot.get(slot)) for slot in event.meeting_slots()],
            "meetings": my_meetings,
            "suggestions": selectors.suggest_partners(mine, participants),
            "participants": others,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    user = acting_user(request)
    if not permissions.can_view_meeting(user, meeting):
        raise PermissionDenied(_("You may not change this meeting."))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "accept": (
            lambda: services.meeting_accept(actor=user, meeting=meeting),
            _("The meeting was accepted."),
        ),
        "decline": (
            lambda: services.meeting_decline(actor=user, meeting=meeting, reason=reason),
            _("The meeting was declined."),
        ),
        "cancel": (
            lambda: services.meeting_cancel(actor=user, meeting=meeting, reason=reason),
            _("The meeting was cancelled."),
        ),
    }
    if action not in actions:
        raise Http404(_("Unknown action."))
    run, success = actions[action]
    _run(request, run, success)
    return redirect("events:meetings", pk=meeting.event_id)


def _require_editor(request: HttpRequest, event: Event | None) -> None:
    if event is None:
        if not permissions.can_manage_event(request.user):
            raise PermissionDenied(_("Only the secretariat manages events."))
    elif not permissions.can_edit_event(request.user, event):
        raise PermissionDenied(_("Only the organiser and the secretariat change this event."))


def _form_errors(form: Any, error: ValidationError | ServiceError) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


def _cancelled(request: HttpRequest, event: Event) -> HttpResponse | None:
    if event.is_cancelled:
        messages.error(request, _("This event was cancelled."))
        return redirect("events:detail", pk=event.pk)
    return None


@login_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create an event, or change one and add its speakers and sessions."""
    event = get_object_or_404(Event, pk=pk) if pk else None
    _require_editor(request, event)
    if event is not None and (gone := _cancelled(request, event)):
        return gone
    user = acting_user(request)
    data = request.POST if request.method == "POST" else None
    part = request.POST.get("part", "event")  # which of the page's forms was sent
    form = EventForm(
        data if part == "event" else None, instance=event, names_organizer=user.is_secretariat
    )
    speaker_form = SpeakerForm(data if part == "speaker" else None)
    agenda_form = AgendaItemForm(data if part == "agenda" else None, event=event) if event else None
    if data is not None:
        try:
            if part == "event" and form.is_valid():
                saved = services.event_save(actor=user, event=form.instance)
                messages.success(request, _("The event was saved."))
                return redirect("events:edit", pk=saved.pk)
            if part == "speaker" and event and speaker_form.is_valid():
                speaker_form.instance.event = event
                services.speaker_save(actor=user, speaker=speaker_form.instance)
                messages.success(request, _("The speaker was added."))
                return redirect("events:edit", pk=event.pk)
            if part == "agenda" and agenda_form is not None and agenda_form.is_valid():
                services.agenda_item_save(
                    actor=user,
                    item=agenda_form.instance,
                    speakers=list(agenda_form.cleaned_data["speakers"]),
                )
                messages.success(request, _("The session was added to the agenda."))
                return redirect("events:edit", pk=event.pk)  # type: ignore[union-attr]
        except (ValidationError, ServiceError) as error:
            target = {"speaker": speaker_form, "agenda": agenda_form}.get(part, form)
            _form_errors(target, error)
    return render(
        request,
        "events/event_form.html",
        {
            "event": event,
            "form": form,
            "speaker_form": speaker_form,
            "agenda_form": agenda_form,
            "agenda": event.agenda.prefetch_related("speakers") if event else [],
            "speakers": event.speakers.all() if event else [],
            "cancel_form": CancelEventForm(),
        },
    )


@login_required
def agenda_item_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    session = get_object_or_404(AgendaItem.objects.select_related("event"), pk=item, event_id=pk)
    _require_editor(request, session.event)
    if gone := _cancelled(request, session.event):
        return gone
    initial = {"speakers": list(session.speakers.all())}
    form = AgendaItemForm(
        request.POST or None, instance=session, event=session.event, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_save(
                actor=acting_user(request),
                item=form.instance,
                speakers=list(form.cleaned_data["speakers"]),
            )
        except (ValidationError, ServiceError) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("events:edit", pk=pk)
    return render(
        request,
        "events/part_form.html",
        {"event": session.event, "form": form, "heading": _("Change the session")},
    )


@login_required
def speaker_edit(request: HttpRequest, pk: int, speaker: int) -> HttpResponse:
    person = get_object_or_404(Speaker.objects.select_related("event"), pk=speaker, event_id=pk)
    _require_editor(request, person.event)
    if gone := _cancelled(request, person.event):
        return gone
    form = SpeakerForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.speaker_save(actor=acting_user(request), speaker=form.instance)
        except (ValidationError, ServiceError) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The speaker was saved."))
            return redirect("events:edit", pk=pk)
    return render(
        request,
        "events/part_form.html",
        {"event": person.event, "form": form, "heading": _("Change the speaker")},
    )


@login_required
@require_POST
def agenda_item_action(request: HttpRequest, pk: int, item: int, action: str) -> HttpResponse:
    session = get_object_or_404(AgendaItem.objects.select_related("event"), pk=item, event_id=pk)
    _require_editor(request, session.event)
    user = acting_user(request)
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "remove": (
            lambda: services.agenda_item_remove(actor=user, item=session),
            _("The session was removed from the agenda."),
        ),
        "earlier": (
            lambda: services.agenda_item_move(actor=user, item=session, earlier=True),
            _("The session was moved."),
        ),
        "later": (
            lambda: services.agenda_item_move(actor=user, item=session, earlier=False),
            _("The session was moved."),
        ),
    }
    if action not in actions:
        raise Http404(_("Unknown action."))
    run, success = actions[action]
    _run(request, run, success)
    return redirect("events:edit", pk=pk)


@login_required
@require_POST
def speaker_remove(request: HttpRequest, pk: int, speaker: int) -> HttpResponse:
    person = get_object_or_404(Speaker.objects.select_related("event"), pk=speaker, event_id=pk)
    _require_editor(request, person.event)
    user = acting_user(request)
    _run(
        request,
        lambda: services.speaker_remove(actor=user, speaker=person),
        _("The speaker was removed."),
    )
    return redirect("events:edit", pk=pk)


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    _require_editor(request, event)
    form = CancelEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for the cancellation."))
        return redirect("events:edit", pk=pk)
    user = acting_user(request)
    _run(
        request,
        lambda: services.event_cancel(actor=user, event=event, reason=form.cleaned_data["reason"]),
        _("The event was cancelled; the participants are being told by e-mail."),
    )
    return redirect("events:detail", pk=pk)
