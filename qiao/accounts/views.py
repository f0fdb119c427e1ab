from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from qiao.accounts.forms import AccountSettingsForm
from qiao.core.http import acting_user


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
