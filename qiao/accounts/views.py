from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.accounts import services
from qiao.accounts.forms import AccountSettingsForm, StudentSignUpForm
from qiao.core import throttling
from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.core.throttling import throttled_response


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, instance=acting_user(request))
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The new preferred language applies at once, like the switcher.
        translation.activate(user.preferred_language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("accounts:settings")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language)
        return response
    return render(request, "accounts/settings.html", {"form": form})


def student_signup(request: HttpRequest) -> HttpResponse:
    """Public: a student or graduate creates an account, is logged in and lands on their
    talent profile (or where they were going)."""
    if request.user.is_authenticated:
        return redirect("core:home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.method == "POST" and not throttling.allow(request, "signup"):
        return throttled_response(request)
    form = StudentSignUpForm(
        request.POST or None, initial={"preferred_language": translation.get_language()}
    )
    if request.method == "POST" and form.is_valid():
        user = services.student_register(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            preferred_language=form.cleaned_data["preferred_language"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        translation.activate(user.preferred_language)
        messages.success(
            request,
            _("Welcome! Your student account is ready; log in next time with your e-mail address."),
        )
        response = redirect(next_url or "careers:my-profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language)
        return response
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: list, create (the new token is shown once) and revoke."""
    user = acting_user(request)
    new_token = None
    if request.method == "POST":
        try:
            new_token, _expiry = services.api_token_issue(user=user)
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect("accounts:tokens")
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": services.api_tokens_live(user=user),
            "new_token": new_token,
            "token_days": settings.QIAO_API_TOKEN_LIFETIME.days,
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    if not services.api_token_revoke(actor=acting_user(request), token_key=token_key):
        raise Http404
    messages.success(request, _("The token was revoked: programs using it can no longer sign in."))
    return redirect("accounts:tokens")
