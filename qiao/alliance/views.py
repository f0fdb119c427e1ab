"""Thin views over alliance services and selectors: parse input, call one service, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.accounts.models import UILanguage
from qiao.alliance import permissions, selectors, services
from qiao.alliance.forms import (
    ApplicationForm,
    DecisionForm,
    DirectoryForm,
    ProspectForm,
    RespondForm,
    StageForm,
)
from qiao.alliance.models import (
    ApplicationDocument,
    ApplicationStatus,
    Membership,
    MembershipApplication,
    MembershipStatus,
)
from qiao.core import throttling
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.http import acting_user
from qiao.core.languages import content_language_for_ui
from qiao.core.throttling import throttled_response

PAGE_SIZE = 30


def _errors_to_form(form: ApplicationForm | RespondForm | ProspectForm, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


# --- public: directory and member pages -----------------------------------------------------


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.DirectoryFilters(
        query=data.get("q", ""),
        kind=data.get("kind", ""),
        country=data.get("country", ""),
        region=data.get("region", ""),
        specialty=data.get("specialty", ""),
    )
    listing = selectors.member_directory(filters=filters)
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = filters != selectors.DirectoryFilters()
    return render(
        request,
        "alliance/directory.html",
        {
            "form": form,
            "page": page,
            "overall": selectors.composition(),
            "facets": selectors.composition(listing) if filtered else None,
            "filtered": filtered,
            "querystring": request.GET.urlencode(),
        },
    )


def member_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    try:
        membership = selectors.member_profile(organization_id=organization_id)
    except Membership.DoesNotExist as missing:
        raise Http404(_("This organisation is not a member of the alliance.")) from missing
    return render(
        request,
        "alliance/member_detail.html",
        {
            "membership": membership,
            "organization": membership.organization,
            "show_contacts": permissions.can_see_member_contacts(request.user),
        },
    )


# --- the applicant ---------------------------------------------------------------------------


def apply(request: HttpRequest) -> HttpResponse:
    ui = get_language() or "en"
    initial = {
        "language": ui if ui in UILanguage.values else UILanguage.EN,
        "description_language": content_language_for_ui(ui),
    }
    if request.method == "POST" and not throttling.allow(request, "alliance_application"):
        return throttled_response(request)
    form = ApplicationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # The application e-mails the address typed in: cap what one address can receive.
        email = form.cleaned_data["rep_email"].strip().lower()
        if not throttling.allow(request, "alliance_application_email", key=email):
            return throttled_response(
                request,
                _(
                    "Too many applications were sent for this e-mail address. Please try "
                    "again later."
                ),
            )
        try:
            application = services.application_submit(
                data=form.application_data(), uploads=form.uploads()
            )
        except (ValidationError, ServiceError) as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your application was sent. We e-mailed you the link to this "
                    "page; keep it to follow your application."
                ),
            )
            return redirect("alliance:application-status", token=application.token)
    return render(request, "alliance/apply.html", {"form": form})


def _application_by_token(token: uuid.UUID) -> MembershipApplication:
    return get_object_or_404(
        MembershipApplication.objects.prefetch_related("documents", "events"), token=token
    )


def application_status(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    application = _application_by_token(token)
    form = RespondForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if application.status != ApplicationStatus.MORE_INFO:
            messages.error(request, _("This application is not waiting for more information."))
            return redirect("alliance:application-status", token=token)
        if form.is_valid():
            document = form.cleaned_data.get("document")
            uploads = [services.Upload(kind="other", file=document)] if document else []
            try:
                services.application_respond(
                    application=application, message=form.cleaned_data["message"], uploads=uploads
                )
            except (ValidationError, ServiceError) as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Your answer was sent to the secretariat."))
                return redirect("alliance:application-status", token=token)
    return render(
        request,
        "alliance/application_status.html",
        {"application": application, "form": form, "token": token},
    )


def _document_response(document: ApplicationDocument) -> FileResponse:
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def applicant_document(request: HttpRequest, token: uuid.UUID, document_id: int) -> FileResponse:
    document = get_object_or_404(ApplicationDocument, pk=document_id, application__token=token)
    return _document_response(document)


# --- the secretariat -------------------------------------------------------------------------


def _require_reviewer(request: HttpRequest) -> None:
    if not permissions.can_review_applications(request.user):
        raise PermissionDenied(_("Only the secretariat reviews membership applications."))


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    applications = selectors.applications_for_review(user=request.user, status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alliance/review_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "counts": selectors.application_counts(),
        },
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    try:
        application = selectors.application_for_review(user=request.user, application_id=pk)
    except MembershipApplication.DoesNotExist as missing:
        raise Http404(_("No such application.")) from missing
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = acting_user(request)
        decision = form.cleaned_data["decision"]
        message = form.cleaned_data["message"]
        try:
            if decision == "approve":
                services.application_approve(actor=actor, application=application, message=message)
                messages.success(request, _("Approved: the organisation is now a member."))
            elif decision == "reject":
                services.application_reject(actor=actor, application=application, reason=message)
                messages.success(request, _("The application was rejected."))
            else:
                services.application_request_info(
                    actor=actor, application=application, message=message
                )
                messages.success(request, _("The applicant was asked for more information."))
        except (ServiceError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("alliance:review-detail", pk=pk)
    return render(
        request,
        "alliance/review_detail.html",
        {
            "application": application,
            "form": form,
            "events": application.events.select_related("actor"),
        },
    )


@login_required
def review_document(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    _require_reviewer(request)
    document = get_object_or_404(ApplicationDocument, pk=document_id, application_id=pk)
    return _document_response(document)


@login_required
def prospects(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_prospects(request.user):
        raise PermissionDenied(_("Only the secretariat manages prospective members."))
    form = ProspectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.prospect_create(
                actor=acting_user(request),
                data=services.ProspectData(
                    name_zh=d["name_zh"].strip(),
                    name_ru=d["name_ru"].strip(),
                    name_en=d["name_en"].strip(),
                    kind=d["kind"],
                    country=d["country"],
                    region=d["region"],
                    city=d["city"].strip(),
                    stage=d["stage"],
                    notes=d["notes"].strip(),
                ),
            )
        except (ValidationError, ServiceError) as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The prospective member was added."))
            return redirect("alliance:prospects")
    return render(
        request,
        "alliance/prospects.html",
        {
            "columns": selectors.prospect_pipeline(user=request.user),
            "form": form,
            "stage_form": StageForm(),
            "open_applications": selectors.application_counts(),
        },
    )


@login_required
@require_POST
def prospect_stage(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_prospects(request.user):
        raise PermissionDenied(_("Only the secretariat manages prospective members."))
    membership = get_object_or_404(Membership, pk=pk, status=MembershipStatus.PROSPECTIVE)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown pipeline stage."))
    else:
        try:
            services.prospect_set_stage(
                actor=acting_user(request),
                membership=membership,
                stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
            )
        except (ServiceError, NotAllowed) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The pipeline stage was updated."))
    return redirect("alliance:prospects")
