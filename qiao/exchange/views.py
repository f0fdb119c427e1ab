"""Thin views over exchange services and selectors: parse input, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.accounts.models import User
from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.core.languages import content_language_for_ui
from qiao.exchange import permissions, selectors, services
from qiao.exchange.forms import MatchStatusForm, ProfileForm, RejectForm, SearchForm
from qiao.exchange.matches import RankedProfile
from qiao.exchange.models import Match, MatchStatus, PartnershipType, Profile, ProfileStatus
from qiao.exchange.permissions import check_works_in_exchange
from qiao.organizations.models import Country
from qiao.organizations.selectors import organizations_managed_by

PAGE_SIZE = 20
SEARCH_RESULTS = 30


def _profile_or_404(request: HttpRequest, pk: int) -> Profile:
    try:
        return selectors.profile_get(user=request.user, profile_id=pk)
    except Profile.DoesNotExist as missing:
        raise Http404(_("No such profile, or you may not see it.")) from missing


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: list[RankedProfile] = []
    page = None
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        filters = selectors.ProfileFilters(
            kind=data["kind"],
            country=data["country"],
            sector=data["sector"],
            stage=data["stage"],
            language=data["language"],
        )
    else:
        filters = selectors.ProfileFilters()
    if query:
        results = selectors.profile_search(
            user=request.user, query=query, filters=filters, k=SEARCH_RESULTS
        ).items
    else:
        listing = selectors.profile_list_published(user=request.user, filters=filters)
        page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/search.html",
        {"form": form, "query": query, "results": results, "page": page},
    )


def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_or_404(request, pk)
    matches = list(selectors.matches_for_profile(user=request.user, profile=profile)[:20])
    is_offer = profile.kind == "offer"
    rows = [
        {
            "match": m,
            "other": m.request if is_offer else m.offer,
            "status": m.offer_status if is_offer else m.request_status,
        }
        for m in matches
    ]
    can_edit = permissions.can_edit_profile(request.user, profile)
    context = {
        "profile": profile,
        "match_rows": rows,
        "can_edit": can_edit,
        "can_review": permissions.can_review_profiles(request.user),
        "can_see_matches": request.user.is_authenticated,
        # Others see only the matches that involve their own organisation.
        "sees_all_matches": can_edit or permissions.can_review_profiles(request.user),
        "events": profile.events.select_related("actor") if can_edit else [],
        "reject_form": RejectForm(),
        "partnership_labels": _labels(PartnershipType, profile.partnership_types),
        "country_labels": _labels(Country, profile.target_countries),
    }
    return render(request, "exchange/profile_detail.html", context)


def _labels(choices: type[TextChoices], values: list[str]) -> list[str]:
    return [str(choices(v).label) for v in values if v in choices.values]


def _profile_form_view(
    request: HttpRequest, *, profile: Profile | None, template: str = "exchange/profile_form.html"
) -> HttpResponse:
    user = acting_user(request)
    organizations = organizations_managed_by(user)
    if not organizations.exists():
        raise PermissionDenied(_("You do not manage any organisation's profiles."))
    initial = (
        ProfileForm.initial_from(profile)
        if profile
        else {
            "language": content_language_for_ui(get_language())
        }  # most write in their UI language
    )
    form = ProfileForm(request.POST or None, initial=initial, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.profile_data()
        created = profile is None
        try:
            if profile is None:
                profile = services.profile_create(
                    actor=user, organization=form.cleaned_data["organization"], data=data
                )
            else:
                profile = services.profile_update(actor=user, profile=profile, data=data)
        except ValidationError as error:
            _add_validation_errors(form, error)
        else:
            submit = request.POST.get("then") == "submit" and profile.status in (
                ProfileStatus.DRAFT,
                ProfileStatus.REJECTED,
            )
            _report_save(request, user, profile, created=created, submit=submit)
            return redirect("exchange:profile", pk=profile.pk)
    return render(request, template, {"form": form, "profile": profile})


def _report_save(
    request: HttpRequest, user: User, profile: Profile, *, created: bool, submit: bool
) -> None:
    """Submit when asked, then say in one message what happened to the profile."""
    if submit:
        try:
            services.profile_submit(actor=user, profile=profile)
        except (ServiceError, ValidationError) as error:
            reasons = " ".join(
                error.messages if isinstance(error, ValidationError) else [str(error)]
            )
            messages.error(
                request,
                _("The profile was saved as a draft but not submitted: %(reasons)s")
                % {"reasons": reasons},
            )
        else:
            messages.success(request, _("The profile was saved and submitted for review."))
    elif created:
        messages.success(request, _("The profile was saved as a draft."))
    else:
        messages.success(request, _("Your changes were saved."))


def _add_validation_errors(form: ProfileForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def profile_create(request: HttpRequest) -> HttpResponse:
    return _profile_form_view(request, profile=None)


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_or_404(request, pk)
    if not permissions.can_edit_profile(request.user, profile):
        raise PermissionDenied(_("You may not edit this profile."))
    return _profile_form_view(request, profile=profile)


def _transition(
    request: HttpRequest, profile: Profile, action: Callable[..., Profile], **kwargs: Any
) -> HttpResponse:
    try:
        action(actor=request.user, profile=profile, **kwargs)
    except ServiceError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Done: the profile is now %(status)s.")
            % {"status": Profile.objects.get(pk=profile.pk).get_status_display()},
        )
    return redirect("exchange:profile", pk=profile.pk)


@login_required
@require_POST
def profile_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    profile = _profile_or_404(request, pk)
    if action == "reject":
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please give the reason for the rejection."))
            return redirect("exchange:profile", pk=pk)
        return _transition(
            request, profile, services.profile_reject, reason=form.cleaned_data["reason"]
        )
    actions: dict[str, Callable[..., Profile]] = {
        "submit": services.profile_submit,
        "publish": services.profile_publish,
        "renew": services.profile_renew,
        "archive": services.profile_archive,
    }
    if action not in actions:
        raise Http404(_("Unknown action."))
    return _transition(request, profile, actions[action])


@login_required
def my_profiles(request: HttpRequest) -> HttpResponse:
    check_works_in_exchange(request.user)
    organizations = organizations_managed_by(request.user)
    profiles = (
        Profile.objects.filter(organization__in=organizations)
        .select_related("organization")
        .order_by("-updated_at")
    )
    status = request.GET.get("status", "")
    if status in ProfileStatus.values:
        profiles = profiles.filter(status=status)
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/my_profiles.html",
        {
            "page": page,
            "status": status,
            "statuses": ProfileStatus.choices,
            "can_create": organizations.exists(),
        },
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_review_profiles(request.user):
        raise PermissionDenied(_("Only technology managers and the secretariat review profiles."))
    queue = selectors.review_queue(user=request.user)
    return render(
        request, "exchange/review_queue.html", {"queue": queue, "reject_form": RejectForm()}
    )


@login_required
def match_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    check_works_in_exchange(user)
    organizations = organizations_managed_by(user)
    matches = selectors.matches_visible_to(user).filter(
        offer__status=ProfileStatus.PUBLISHED, request__status=ProfileStatus.PUBLISHED
    )
    if not user.is_secretariat:
        matches = matches.filter(
            Q(offer__organization__in=organizations) | Q(request__organization__in=organizations)
        )
    status = request.GET.get("status", "")
    if status in MatchStatus.values:
        matches = matches.filter(Q(offer_status=status) | Q(request_status=status))
    page = Paginator(matches.order_by("-score", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    managed_ids = set(organizations.values_list("pk", flat=True))
    return render(
        request,
        "exchange/match_list.html",
        {
            "page": page,
            "status": status,
            "statuses": MatchStatus.choices,
            "managed_ids": managed_ids,
        },
    )


def _match_or_404(request: HttpRequest, pk: int) -> Match:
    try:
        return selectors.match_get(user=request.user, match_id=pk)
    except Match.DoesNotExist as missing:
        raise Http404(_("No such match, or you may not see it.")) from missing


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match_or_404(request, pk)
    sides = [
        side
        for side in ("offer", "request")
        if permissions.can_set_match_status(request.user, match, side)
    ]
    for side in sides:
        if getattr(match, f"{side}_status") == MatchStatus.NEW:
            services.match_set_status(
                actor=acting_user(request), match=match, side=side, status=MatchStatus.SEEN
            )
    return render(
        request,
        "exchange/match_detail.html",
        {"match": match, "sides": sides, "statuses": MatchStatus.choices},
    )


@login_required
@require_POST
def match_status(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match_or_404(request, pk)
    form = MatchStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    else:
        services.match_set_status(
            actor=acting_user(request),
            match=match,
            side=form.cleaned_data["side"],
            status=form.cleaned_data["status"],
        )
        messages.success(request, _("The match status was updated."))
    return redirect("exchange:match", pk=pk)
