"""Thin views over careers services and selectors: parse input, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.careers import permissions, privacy, selectors, services
from qiao.careers.forms import (
    ApplicationStatusForm,
    ApplyForm,
    CandidateFilterForm,
    DeleteAccountForm,
    PostingForm,
    PostingSearchForm,
    RejectForm,
    TalentProfileForm,
    TalentSearchForm,
    add_validation_errors,
)
from qiao.careers.models import (
    Application,
    ApplicationStatus,
    Posting,
    PostingStatus,
    TalentProfile,
)
from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.core.languages import content_language_for_ui
from qiao.organizations.models import Organization

PAGE_SIZE = 20


def _posting_or_404(request: HttpRequest, pk: int) -> Posting:
    try:
        return selectors.posting_get(user=request.user, posting_id=pk)
    except Posting.DoesNotExist as missing:
        raise Http404(_("No such posting, or you may not see it.")) from missing


def _profile_or_404(request: HttpRequest, pk: int) -> TalentProfile:
    try:
        return selectors.talent_profile_get(user=request.user, profile_id=pk)
    except TalentProfile.DoesNotExist as missing:
        raise Http404(_("No such talent profile, or you may not see it.")) from missing


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.application_get(user=request.user, application_id=pk)
    except Application.DoesNotExist as missing:
        raise Http404(
            pgettext("careers", "No such application, or you may not see it.")
        ) from missing


def _search_filters(request: HttpRequest, form: PostingSearchForm) -> selectors.PostingFilters:
    if not form.is_valid():
        return selectors.PostingFilters()
    d = form.cleaned_data
    levels = None
    if d["my_levels"]:
        profile = selectors.own_talent_profile(request.user)
        levels = profile.levels() if profile else {"zh": 0, "ru": 0, "en": 0}
    return selectors.PostingFilters(
        kind=d["kind"],
        country=d["country"],
        language=d["language"],
        housing=d["housing"],
        visa_support=d["visa_support"],
        levels=levels,
    )


# --- postings --------------------------------------------------------------------------------


def posting_list(request: HttpRequest) -> HttpResponse:
    form = PostingSearchForm(request.GET or None)
    filters = _search_filters(request, form)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results: list[tuple[Posting, float]] = []
    page = None
    if query:
        results = selectors.postings_search(user=request.user, query=query, filters=filters)
    else:
        listing = selectors.postings_open(user=request.user, filters=filters)
        page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "careers/posting_list.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "page": page,
            "has_profile": selectors.own_talent_profile(request.user) is not None,
        },
    )


def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _posting_or_404(request, pk)
    user = request.user
    own_application = None
    fit = None
    profile = selectors.own_talent_profile(user)
    if user.is_authenticated:
        own_application = selectors.applications_of_candidate(user).filter(posting=posting).first()
        if profile is not None and posting.is_published:
            from qiao.careers.ranking import fit_for

            fit = fit_for(posting, profile)
    can_manage = permissions.can_manage_postings(user, posting.employer)
    return render(
        request,
        "careers/posting_detail.html",
        {
            "posting": posting,
            "can_edit": permissions.can_edit_posting(user, posting),
            "can_manage": can_manage,
            "can_review": permissions.can_review_postings(user),
            "can_apply": permissions.can_apply(user, posting) and own_application is None,
            "has_profile": profile is not None,
            "own_application": own_application,
            "fit": fit,
            "events": posting.events.select_related("actor") if can_manage else [],
            "reject_form": RejectForm(),
        },
    )


def _posting_form_view(request: HttpRequest, posting: Posting | None) -> HttpResponse:
    user = acting_user(request)
    if not permissions.can_create_postings(user):
        raise PermissionDenied(_("Only organisation representatives may post."))
    employers = (
        Organization.objects.all()
        if user.is_secretariat
        else Organization.objects.filter(pk=user.organization_id or 0)
    )
    initial = {} if posting else {"language": content_language_for_ui(get_language())}
    form = PostingForm(request.POST or None, instance=posting, initial=initial, employers=employers)
    if request.method == "POST" and form.is_valid():
        data = form.posting_data()
        try:
            if posting is None:
                posting = services.posting_create(
                    actor=user, employer=form.cleaned_data["employer"], data=data
                )
                messages.success(request, _("The posting was saved as a draft."))
            else:
                was_published = posting.status == PostingStatus.PUBLISHED
                posting = services.posting_update(actor=user, posting=posting, data=data)
                if was_published and posting.status == PostingStatus.SUBMITTED:
                    messages.warning(
                        request,
                        _(
                            "Your changes were saved. They change the substance of the posting, "
                            "so it is back in review and hidden until the secretariat publishes "
                            "it again."
                        ),
                    )
                else:
                    messages.success(request, _("Your changes were saved."))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            if request.POST.get("then") == "submit":
                return _posting_transition(request, posting, services.posting_submit)
            return redirect("careers:posting", pk=posting.pk)
    return render(request, "careers/posting_form.html", {"form": form, "posting": posting})


@login_required
def posting_create(request: HttpRequest) -> HttpResponse:
    return _posting_form_view(request, None)


@login_required
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _posting_or_404(request, pk)
    if not permissions.can_edit_posting(request.user, posting):
        raise PermissionDenied(_("You may not edit this posting."))
    return _posting_form_view(request, posting)


def _posting_transition(
    request: HttpRequest, posting: Posting, action: Callable[..., Posting], **kwargs: Any
) -> HttpResponse:
    try:
        posting = action(actor=acting_user(request), posting=posting, **kwargs)
    except (ServiceError, ValidationError) as error:
        for text in error.messages if isinstance(error, ValidationError) else [str(error)]:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Done: the posting is now %(status)s.") % {"status": posting.get_status_display()},
        )
    return redirect("careers:posting", pk=posting.pk)


@login_required
@require_POST
def posting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    posting = _posting_or_404(request, pk)
    if action == "reject":
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please give the reason for the rejection."))
            return redirect("careers:posting", pk=pk)
        return _posting_transition(
            request, posting, services.posting_reject, reason=form.cleaned_data["reason"]
        )
    actions: dict[str, Callable[..., Posting]] = {
        "submit": services.posting_submit,
        "publish": services.posting_publish,
        "close": services.posting_close,
    }
    if action not in actions:
        raise Http404(_("Unknown action."))
    return _posting_transition(request, posting, actions[action])


@login_required
def my_postings(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_postings(request.user):
        raise PermissionDenied(_("Postings belong to organisations; your account has none."))
    postings = selectors.postings_managed_by(request.user).order_by("-updated_at", "-id")
    page = Paginator(postings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "careers/my_postings.html", {"page": page})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_review_postings(request.user):
        raise PermissionDenied(_("Only the secretariat reviews postings."))
    return render(
        request,
        "careers/review_queue.html",
        {"queue": selectors.review_queue(user=request.user), "reject_form": RejectForm()},
    )


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer's board: applicants by status, and ranked candidates they may see."""
    posting = _posting_or_404(request, pk)
    if not permissions.can_see_applicants(request.user, posting):
        raise PermissionDenied(_("Only the employer sees the applicants."))
    form = CandidateFilterForm(request.GET or None)
    filters = selectors.CandidateFilters()
    if form.is_valid():
        filters = selectors.CandidateFilters(**form.cleaned_data)
    applications = list(selectors.applicants_board(user=request.user, posting=posting))
    columns = [
        (value, label, [a for a in applications if a.status == value])
        for value, label in ApplicationStatus.choices
    ]
    fits = selectors.candidates_for_posting(user=request.user, posting=posting, filters=filters)
    return render(
        request,
        "careers/board.html",
        {"posting": posting, "columns": columns, "fits": fits, "form": form},
    )


# --- talent profiles -------------------------------------------------------------------------


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not permissions.is_candidate(user):
        raise PermissionDenied(_("Only students and graduates keep a talent profile."))
    profile = selectors.own_talent_profile(user)
    initial = {} if profile else {"language": content_language_for_ui(get_language())}
    form = TalentProfileForm(
        request.POST or None, request.FILES or None, instance=profile, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.talent_profile_save(
                actor=user,
                data=form.talent_data(),
                cv=form.cleaned_data.get("cv") or None,
                remove_cv=form.cleaned_data.get("remove_cv", False),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("careers:profile", pk=profile.pk)
    return render(request, "careers/profile_form.html", {"form": form, "profile": profile})


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_or_404(request, pk)
    return render(
        request,
        "careers/profile_detail.html",
        {
            "profile": profile,
            "is_own": profile.user_id == request.user.pk,
        },
    )


@login_required
def profile_cv(request: HttpRequest, pk: int) -> FileResponse:
    profile = _profile_or_404(request, pk)
    if not profile.cv:
        raise Http404(_("This profile has no CV."))
    response = FileResponse(
        profile.cv.open("rb"), as_attachment=True, filename=profile.cv_name or "cv"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def recommended(request: HttpRequest) -> HttpResponse:
    """Published postings ranked for the candidate's profile."""
    profile = selectors.own_talent_profile(request.user)
    if profile is None:
        if not permissions.is_candidate(request.user):
            raise PermissionDenied(_("Only students and graduates keep a talent profile."))
        messages.info(request, _("Fill in your profile to see the postings that suit you."))
        return redirect("careers:my-profile")
    form = PostingSearchForm(request.GET or None)
    fits = selectors.postings_for_candidate(
        user=request.user, filters=_search_filters(request, form)
    )
    return render(
        request, "careers/recommended.html", {"fits": fits, "profile": profile, "form": form}
    )


@login_required
def talent_search(request: HttpRequest) -> HttpResponse:
    """Employers and the secretariat search the profiles they may see, in any language."""
    user = acting_user(request)
    if not permissions.can_search_talent(user):
        raise PermissionDenied(_("Only organisation representatives search for candidates."))
    form = TalentSearchForm(request.GET or None)
    results: list[tuple[TalentProfile, float | None]] = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        results = selectors.talent_search(user=user, query=query, filters=form.filters())
    elif not form.is_bound:
        results = selectors.talent_search(user=user, query="", filters=selectors.TalentFilters())
    return render(
        request, "careers/talent_search.html", {"form": form, "results": results, "query": query}
    )


# --- applications ----------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _posting_or_404(request, pk)
    user = acting_user(request)
    if not permissions.can_apply(user, posting):
        raise PermissionDenied(_("You may not apply to this posting."))
    profile = selectors.own_talent_profile(user)
    if profile is None:
        messages.info(request, _("Please fill in your talent profile before applying."))
        return redirect("careers:my-profile")
    form = ApplyForm(
        request.POST or None,
        initial={"cover_letter_language": content_language_for_ui(get_language())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=user,
                posting=posting,
                cover_letter=form.cleaned_data["cover_letter"],
                cover_letter_language=form.cleaned_data["cover_letter_language"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect("careers:posting", pk=pk)
        else:
            messages.success(request, pgettext("careers", "Your application was sent."))
            return redirect("careers:application", pk=application.pk)
    return render(request, "careers/apply.html", {"form": form, "posting": posting})


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = selectors.applications_of_candidate(request.user)
    return render(request, "careers/my_applications.html", {"applications": applications})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    user = acting_user(request)
    application = services.application_mark_viewed(actor=user, application=application)
    profile = (
        getattr(application.candidate, "talent_profile", None) if application.candidate else None
    )
    return render(
        request,
        "careers/application_detail.html",
        {
            "application": application,
            "posting": application.posting,
            "profile": profile,
            "transitions": [
                (s, ApplicationStatus(s).label)
                for s in permissions.allowed_transitions(user, application)
            ],
            "events": application.events.all(),
        },
    )


@login_required
@require_POST
def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = ApplicationStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
        return redirect("careers:application", pk=pk)
    try:
        services.application_set_status(
            actor=acting_user(request), application=application, status=form.cleaned_data["status"]
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The application status was updated."))
    return redirect("careers:application", pk=pk)


# --- personal data ---------------------------------------------------------------------------


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "careers/my_data.html",
        {"form": DeleteAccountForm(), "can_delete": permissions.is_candidate(request.user)},
    )


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    content = privacy.personal_data_zip(user)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="qiao-my-data-{stamp}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "careers/my_data.html",
            {"form": form, "can_delete": permissions.is_candidate(user)},
        )
    privacy.account_delete(actor=user, user=user)
    logout(request)
    messages.success(request, _("Your account was deleted."))
    return redirect("core:home")
