"""Thin views over programme services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.core.languages import content_language_for_ui
from qiao.organizations.models import Organization
from qiao.programmes import permissions, selectors, services
from qiao.programmes.forms import (
    ApplyForm,
    CatalogueForm,
    MoveForm,
    ProgrammeEditForm,
    ProgrammeForm,
)
from qiao.programmes.models import ApplicationStatus, Programme, StudentApplication

PAGE_SIZE = 20


def _add_errors(form: ApplyForm | ProgrammeForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    listing = selectors.catalogue(
        filters=selectors.CatalogueFilters(
            kind=data.get("kind", ""),
            level=data.get("level", ""),
            language=data.get("language", ""),
            specialty=data.get("specialty", ""),
        )
    )
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/catalogue.html",
        {
            "form": form,
            "page": page,
            "can_create": permissions.can_create_programme(request.user),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.select_related("lead", "specialty").prefetch_related("partners"), pk=pk
    )
    form = ApplyForm(
        request.POST or None,
        initial={"motivation_language": content_language_for_ui(get_language())},
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if form.is_valid():
            try:
                services.application_submit(
                    actor=acting_user(request), programme=programme, data=form.application_data()
                )
            except ValidationError as error:
                _add_errors(form, error)
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your application was sent."))
                return redirect("programmes:mine")
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "form": form,
            "runs": permissions.runs_programme(request.user, programme),
            "can_apply": permissions.can_apply(request.user),
            "can_edit": permissions.can_edit_programme(request.user, programme),
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    user = acting_user(request)
    if not permissions.can_edit_programme(user, programme):
        raise PermissionDenied(_("You may not change this programme."))
    leads = (
        Organization.objects.filter(membership__status="member")
        if user.is_secretariat
        else Organization.objects.filter(pk=programme.lead_id)
    )
    form = ProgrammeEditForm(request.POST or None, instance=programme, leads=leads)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                actor=user,
                programme=form.instance,
                partners=list(form.cleaned_data["partners_field"]),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The programme was updated."))
            return redirect("programmes:detail", pk=pk)
    return render(request, "programmes/form.html", {"form": form, "programme": programme})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not permissions.can_create_programme(user):
        raise PermissionDenied(
            _("Only member organisations and the secretariat publish programmes.")
        )
    leads = (
        Organization.objects.filter(membership__status="member")
        if user.is_secretariat
        else Organization.objects.filter(pk=user.organization_id or 0)
    )
    form = ProgrammeForm(request.POST or None, leads=leads)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=user,
                programme=form.instance,
                partners=list(form.cleaned_data["partners_field"]),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The programme was published."))
            return redirect("programmes:detail", pk=programme.pk)
    return render(request, "programmes/form.html", {"form": form})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/mine.html",
        {"applications": selectors.applications_of_student(user=request.user)},
    )


@login_required
def programme_applications(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    if not permissions.runs_programme(request.user, programme):
        raise PermissionDenied(
            _("Only the institutions running this programme see its applicants.")
        )
    status = request.GET.get("status", "")
    applications = selectors.applications_to_programme(
        user=request.user, programme=programme, status=status
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/applications.html",
        {
            "programme": programme,
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        application = selectors.application_get(user=request.user, application_id=pk)
    except StudentApplication.DoesNotExist as missing:
        raise Http404(_("No such application, or you may not see it.")) from missing
    return render(
        request,
        "programmes/application.html",
        {
            "application": application,
            "steps": application.steps.select_related("actor"),
            "is_student": application.student_id == request.user.pk,
            "runs": permissions.runs_programme(request.user, application.programme),
        },
    )


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        application = selectors.application_get(user=request.user, application_id=pk)
    except StudentApplication.DoesNotExist as missing:
        raise Http404(_("No such application, or you may not see it.")) from missing
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
    else:
        try:
            services.application_move(
                actor=acting_user(request),
                application=application,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The application was updated."))
    return redirect("programmes:application", pk=pk)
