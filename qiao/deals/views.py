"""Thin views over the broker workspace's services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.accounts.models import Role, User
from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.deals import permissions, selectors, services
from qiao.deals.forms import (
    AgreementForm,
    DeadlineForm,
    DecisionForm,
    DocumentForm,
    InterestForm,
    MoveForm,
    NoteForm,
    PassForm,
    StepForm,
)
from qiao.deals.models import ChecklistItem, Deal, DealDocument, DealStage, Interest
from qiao.exchange.models import Profile
from qiao.exchange.permissions import check_works_in_exchange
from qiao.exchange.selectors import profile_get


def _profile_or_404(request: HttpRequest, pk: int) -> Profile:
    try:
        return profile_get(user=request.user, profile_id=pk)
    except Profile.DoesNotExist as missing:
        raise Http404(_("No such profile, or you may not see it.")) from missing


def _interest_or_404(request: HttpRequest, pk: int) -> Interest:
    try:
        return selectors.interest_get(user=request.user, interest_id=pk)
    except Interest.DoesNotExist as missing:
        raise Http404(_("No such expression of interest, or you may not see it.")) from missing


def _deal_or_404(request: HttpRequest, pk: int) -> Deal:
    try:
        return selectors.deal_get(user=request.user, deal_id=pk)
    except Deal.DoesNotExist as missing:
        raise Http404(_("No such deal, or you may not see it.")) from missing


def _errors_to_messages(request: HttpRequest, error: ValidationError | ServiceError) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for text in texts:
        messages.error(request, text)


def _form_errors_to_messages(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, text)


@login_required
def interest_create(request: HttpRequest, profile_pk: int) -> HttpResponse:
    user = acting_user(request)
    profile = _profile_or_404(request, profile_pk)
    if not permissions.can_express_interest(user, profile):
        raise PermissionDenied(_("You may not express interest in this profile."))
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interest = services.interest_express(
                actor=user, profile=profile, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_error("message", error.messages)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your expression of interest was sent. A technology manager will reply."),
            )
            return redirect("deals:interest", pk=interest.pk)
    return render(
        request,
        "deals/interest_form.html",
        {
            "form": form,
            "profile": profile,
            "show_owner": permissions.can_see_profile_owner(user, profile),
        },
    )


@login_required
@require_POST
def pass_create(request: HttpRequest, profile_pk: int) -> HttpResponse:
    user = acting_user(request)
    profile = _profile_or_404(request, profile_pk)
    if not permissions.can_pass(user, profile):
        raise PermissionDenied(_("You may not pass on this profile."))
    form = PassForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
    else:
        try:
            services.pass_record(
                actor=user,
                profile=profile,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("Thank you: the owner will see your reason."))
    return redirect("exchange:profile", pk=profile.pk)


@login_required
def interest_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    check_works_in_exchange(user)
    visible = selectors.interests_visible_to(user)
    own = user.organization_id
    return render(
        request,
        "deals/interest_list.html",
        {
            "to_decide": selectors.interests_to_decide(user=user),
            "sent": visible.filter(organization_id=own) if own else [],
            "received": visible.filter(profile__organization_id=own) if own else [],
        },
    )


@login_required
def interest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    interest = _interest_or_404(request, pk)
    if not permissions.can_view_interest(user, interest):
        raise Http404(_("No such expression of interest, or you may not see it."))
    can_decide = permissions.can_decide_interest(user, interest)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied(
                _("Only the owner's technology manager or the secretariat may decide.")
            )
        if form.is_valid():
            try:
                services.interest_decide(
                    actor=user,
                    interest=interest,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except (ValidationError, ServiceError) as error:
                _errors_to_messages(request, error)
            else:
                if hasattr(interest, "deal"):
                    messages.success(request, _("The parties were introduced and a deal opened."))
                    return redirect("deals:deal", pk=interest.deal.pk)
                messages.success(request, _("The expression of interest was declined."))
                return redirect("deals:interest", pk=interest.pk)
    deal = Deal.objects.filter(interest=interest).first()
    return render(
        request,
        "deals/interest_detail.html",
        {
            "interest": interest,
            "deal": deal if deal and permissions.is_deal_party(user, deal) else None,
            "can_decide": can_decide and interest.status == "pending",
            "form": form,
            "show_owner": permissions.can_see_profile_owner(user, interest.profile),
        },
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    check_works_in_exchange(user)
    if not permissions.can_view_board(user):
        # Representatives see their organisation's deals as a list.
        deals = selectors.deals_visible_to(user).order_by("-updated_at")
        return render(request, "deals/deal_list.html", {"deals": deals})
    brokers = User.objects.filter(Q(role=Role.BROKER), is_active=True).order_by("username")
    broker_id: int | None = user.pk if user.is_broker else None
    if user.is_secretariat:
        raw = request.GET.get("broker", "")
        broker_id = int(raw) if raw.isdigit() else None
    columns = selectors.deal_board(user=user, broker_id=broker_id)
    return render(
        request,
        "deals/board.html",
        {"columns": columns, "brokers": brokers, "broker_id": broker_id},
    )


@login_required
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    deal = _deal_or_404(request, pk)
    can_manage = permissions.can_manage_deal(user, deal)
    return render(
        request,
        "deals/deal_detail.html",
        {
            "deal": deal,
            "can_manage": can_manage,
            "checklist": selectors.deal_checklist(deal=deal),
            "next_stages": [(s, DealStage(s).label) for s in services.next_stages(deal)],
            "stages": DealStage.choices,
            "contacts": [
                (deal.owner, selectors.organization_contacts(deal.owner_id)),
                (deal.partner, selectors.organization_contacts(deal.partner_id)),
            ],
            "max_mb": round(settings.QIAO_DEAL_DOCUMENT_MAX_BYTES / 2**20, 1),
            "document_types": ", ".join(sorted(services.DOCUMENT_TYPES)),
            "notes": deal.notes.select_related("author"),
            "documents": deal.documents.select_related("uploaded_by"),
            "events": deal.events.select_related("actor", "step"),
            "deadline_form": DeadlineForm(initial={"deadline": deal.deadline}),
            "agreement_form": AgreementForm(
                initial={
                    "agreement_type": deal.agreement_type,
                    "agreement_value": deal.agreement_value,
                    "currency": deal.currency,
                    "agreement_signed_on": deal.agreement_signed_on,
                }
            ),
            "note_form": NoteForm(),
            "document_form": DocumentForm(),
        },
    )


def _deal_action(
    request: HttpRequest,
    pk: int,
    form_class: type[Any],
    act: Callable[[User, Deal, Any], Any],
    done: str,
) -> HttpResponse:
    user = acting_user(request)
    deal = _deal_or_404(request, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
    else:
        try:
            act(user, deal, form.cleaned_data)
        except (ValidationError, ServiceError) as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, done)
    return redirect("deals:deal", pk=deal.pk)


@login_required
@require_POST
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        MoveForm,
        lambda u, d, c: services.deal_move(actor=u, deal=d, to_stage=c["stage"]),
        _("The deal moved to its next stage."),
    )


@login_required
@require_POST
def deal_step(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    try:
        item = ChecklistItem.objects.get(pk=item_pk)
    except ChecklistItem.DoesNotExist as missing:
        raise Http404(_("No such checklist step.")) from missing
    return _deal_action(
        request,
        pk,
        StepForm,
        lambda u, d, c: services.deal_set_step(actor=u, deal=d, item=item, done=c["done"]),
        _("The checklist was updated."),
    )


@login_required
@require_POST
def deal_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        DeadlineForm,
        lambda u, d, c: services.deal_set_deadline(actor=u, deal=d, deadline=c["deadline"]),
        _("The deadline was saved."),
    )


@login_required
@require_POST
def deal_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        AgreementForm,
        lambda u, d, c: services.deal_set_agreement(
            actor=u,
            deal=d,
            agreement_type=c["agreement_type"],
            value=c["agreement_value"],
            currency=c["currency"],
            signed_on=c["agreement_signed_on"],
        ),
        _("The agreement was saved."),
    )


@login_required
@require_POST
def deal_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        NoteForm,
        lambda u, d, c: services.deal_add_note(actor=u, deal=d, text=c["text"]),
        _("The note was added."),
    )


@login_required
@require_POST
def deal_document(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        DocumentForm,
        lambda u, d, c: services.deal_add_document(actor=u, deal=d, upload=c["file"]),
        _("The document was added."),
    )


@login_required
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    user = acting_user(request)
    deal = _deal_or_404(request, pk)
    if not permissions.is_deal_party(user, deal):
        raise Http404(_("No such deal, or you may not see it."))
    try:
        document = deal.documents.get(pk=doc_pk)
    except DealDocument.DoesNotExist as missing:
        raise Http404(_("No such document.")) from missing
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)
    response["Content-Type"] = document.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
