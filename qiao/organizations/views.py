from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from qiao.exchange import permissions, selectors
from qiao.organizations.models import Country, Organization, OrganizationKind
from qiao.organizations.selectors import organization_directory


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *OrganizationKind.choices]
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any country")), *Country.choices]
    )


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    organizations = organization_directory(
        query=data.get("q", ""), kind=data.get("kind", ""), country=data.get("country", "")
    )
    page = Paginator(organizations, 30).get_page(request.GET.get("page"))
    return render(request, "organizations/directory.html", {"form": form, "page": page})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    profiles = selectors.profile_list_published(
        user=request.user, filters=selectors.ProfileFilters(organization_id=organization.pk)
    )
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "profiles": profiles,
            "can_manage": permissions.can_manage_organization_profiles(request.user, organization),
        },
    )
