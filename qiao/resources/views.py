"""Thin views over teaching-resource services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.core.languages import content_language_for_ui
from qiao.resources import permissions, selectors, services
from qiao.resources.forms import ContentForm, InviteForm, ResourceForm, SearchForm, WithdrawForm
from qiao.resources.models import Authorship, Resource, ResourceVersion


def _resource_or_404(pk: int) -> Resource:
    try:
        return selectors.resource_get(resource_id=pk)
    except Resource.DoesNotExist as missing:
        raise Http404(_("No such resource.")) from missing


def _errors(form: ResourceForm | ContentForm, error: ValidationError | ServiceError) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


def library(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    results = selectors.resource_list(
        filters=selectors.ResourceFilters(
            query=data.get("q", ""),
            language=data.get("language", ""),
            specialty=data.get("specialty", ""),
            level=data.get("level", ""),
        )
    )
    return render(
        request,
        "resources/library.html",
        {
            "form": form,
            "results": results[:50],
            "query": data.get("q", ""),
            "can_publish": permissions.can_publish(request.user),
            "invitations": selectors.invitations_for(user=request.user),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_or_404(pk)
    can_edit = permissions.can_edit(request.user, resource)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "can_edit": can_edit,
            "can_download": permissions.can_download(request.user, resource),
            "content_form": ContentForm(),
            "invite_form": InviteForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
def publish(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not permissions.can_publish(user):
        raise PermissionDenied(
            _("Only member organisations and the secretariat publish resources.")
        )
    initial = {
        "language": content_language_for_ui(get_language()),
        "organizations": [user.organization_id] if user.organization_id else [],
    }
    form = ResourceForm(request.POST or None, initial=initial)
    content = ContentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and content.is_valid():
        try:
            resource = services.resource_publish(
                actor=user,
                resource=form.instance,
                organizations=list(form.cleaned_data["organizations"]),
                content=content.content(),
            )
        except (ValidationError, ServiceError) as error:
            _errors(form, error)
        else:
            messages.success(request, _("The resource was published."))
            return redirect("resources:detail", pk=resource.pk)
    return render(request, "resources/form.html", {"form": form, "content_form": content})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_or_404(pk)
    user = acting_user(request)
    if not permissions.can_edit(user, resource):
        raise PermissionDenied(_("Only the authors and their organisations change a resource."))
    if resource.is_withdrawn:
        messages.error(request, _("This resource was withdrawn; put it back in the library first."))
        return redirect("resources:detail", pk=pk)
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                actor=user,
                resource=form.instance,
                organizations=list(form.cleaned_data["organizations"]),
            )
        except (ValidationError, ServiceError) as error:
            _errors(form, error)
        else:
            messages.success(request, _("The resource was saved."))
            return redirect("resources:detail", pk=pk)
    return render(request, "resources/edit.html", {"form": form, "resource": resource})


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_or_404(pk)
    user = acting_user(request)
    if not permissions.can_edit(user, resource):
        raise PermissionDenied(_("Only the authors and their organisations withdraw a resource."))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for the withdrawal."))
    else:
        try:
            services.resource_withdraw(
                actor=user, resource=resource, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The resource was withdrawn from the library."))
    return redirect("resources:detail", pk=pk)


@login_required
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_or_404(pk)
    user = acting_user(request)
    if not permissions.can_edit(user, resource):
        raise PermissionDenied(_("Only the authors and their organisations withdraw a resource."))
    try:
        services.resource_restore(actor=user, resource=resource)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The resource is back in the library."))
    return redirect("resources:detail", pk=pk)


@login_required
@require_POST
def add_version(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_or_404(pk)
    user = acting_user(request)
    if not permissions.can_edit(user, resource):
        raise PermissionDenied(_("Only the authors and their organisations add versions."))
    form = ContentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.version_add(actor=user, resource=resource, content=form.content())
        except (ValidationError, ServiceError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The new version was added."))
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
    return redirect("resources:detail", pk=pk)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_or_404(pk)
    user = acting_user(request)
    if not permissions.can_edit(user, resource):
        raise PermissionDenied(_("Only the authors and their organisations invite co-authors."))
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a user name or e-mail."))
    else:
        try:
            services.coauthor_invite(actor=user, resource=resource, who=form.cleaned_data["who"])
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The invitation was sent."))
    return redirect("resources:detail", pk=pk)


@login_required
@require_POST
def respond(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    authorship = get_object_or_404(Authorship, pk=pk)
    if answer not in ("accept", "decline"):
        raise Http404(_("Unknown action."))
    try:
        services.invitation_respond(
            actor=acting_user(request), authorship=authorship, accept=answer == "accept"
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your answer was recorded."))
    return redirect("resources:detail", pk=authorship.resource_id)


def download(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    version = get_object_or_404(
        ResourceVersion.objects.select_related("resource"), resource_id=pk, number=number
    )
    if not permissions.can_download(request.user, version.resource):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        raise PermissionDenied(_("This resource is for alliance members only."))
    services.download_record(resource=version.resource)
    if version.url:
        return redirect(version.url)
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
