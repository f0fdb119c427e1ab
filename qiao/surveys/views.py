"""Thin views over demand surveys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.errors import ServiceError
from qiao.core.http import acting_user
from qiao.surveys import exporting, permissions, selectors, services
from qiao.surveys.forms import AnswerForm, SendForm
from qiao.surveys.models import AnswerFile, Invitation, Questionnaire


def _require_results(request: HttpRequest) -> None:
    if not permissions.can_view_results(request.user):
        raise PermissionDenied(_("Only technology managers and the secretariat see surveys."))


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    _require_results(request)
    return render(
        request,
        "surveys/list.html",
        {
            "rows": selectors.questionnaires_with_rates(),
            "can_manage": permissions.can_manage_surveys(request.user),
        },
    )


@login_required
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_results(request)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    invitations = selectors.invitations_visible_to(request.user, questionnaire)
    breakdown = selectors.results_breakdown(invitations)
    charts = {
        name: {"labels": [label for label, _n in rows], "values": [n for _label, n in rows]}
        for name, rows in (
            ("by_country", breakdown.by_country),
            ("by_region", breakdown.by_region),
            ("by_sector", breakdown.by_sector),
        )
    }
    return render(
        request,
        "surveys/detail.html",
        {
            "questionnaire": questionnaire,
            "version": services.current_version(questionnaire),
            "invitations": invitations,
            "breakdown": breakdown,
            "charts": charts,
            "can_manage": permissions.can_manage_surveys(request.user),
            "send_form": SendForm(),
        },
    )


@login_required
@require_POST
def questionnaire_send(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    if not permissions.can_manage_surveys(user):
        raise PermissionDenied(_("Only the secretariat manages surveys."))
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    version = services.current_version(questionnaire)
    form = SendForm(request.POST)
    if version is None or not form.is_valid():
        messages.error(request, _("Choose at least one organisation."))
        return redirect("surveys:detail", pk=pk)
    try:
        report = services.invitations_send(
            actor=user, version=version, organizations=form.cleaned_data["organizations"]
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitations sent: %(n)d.") % {"n": len(report.sent)})
        if report.no_contact:
            messages.warning(
                request,
                _("No representative with an e-mail address: %(names)s")
                % {"names": ", ".join(o.display_name() for o in report.no_contact)},
            )
    return redirect("surveys:detail", pk=pk)


@login_required
@require_POST
def questionnaire_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    try:
        version = services.version_new(actor=acting_user(request), questionnaire=questionnaire)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("surveys:detail", pk=pk)
    messages.success(
        request,
        _("Version %(n)d created: edit its questions in the administration.")
        % {"n": version.number},
    )
    return redirect("admin:surveys_questionnaireversion_change", version.pk)


@login_required
def questionnaire_export(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_surveys(request.user):
        raise PermissionDenied(_("Only the secretariat manages surveys."))
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    data = exporting.responses_xlsx(selectors.invitations_visible_to(request.user, questionnaire))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{pk}.xlsx"'
    return response


def _visible_invitation(request: HttpRequest, pk: int) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "version__questionnaire"), pk=pk
    )
    if not permissions.can_view_response(request.user, invitation):
        raise Http404(_("No such response, or you may not see it."))
    return invitation


@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _visible_invitation(request, pk)
    files = {f.question_id: f for f in invitation.files.all()}
    rows = [
        (q, selectors.answer_display(q, invitation.answers.get(str(q.pk))), files.get(q.pk))
        for q in invitation.version.questions.all()
    ]
    return render(
        request,
        "surveys/response.html",
        {
            "invitation": invitation,
            "rows": rows,
            "can_convert": permissions.can_convert_response(request.user, invitation)
            and invitation.request_profile_id is None,
        },
    )


@login_required
@require_POST
def response_convert(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _visible_invitation(request, pk)
    try:
        profile = services.response_to_request(actor=acting_user(request), invitation=invitation)
    except (ServiceError, ValidationError) as error:
        texts = error.messages if isinstance(error, ValidationError) else [str(error)]
        for text in texts:
            messages.error(request, text)
        return redirect("surveys:response", pk=pk)
    messages.success(
        request, _("A draft Technology Request was created: check it and submit it for review.")
    )
    return redirect("exchange:edit", pk=profile.pk)


@login_required
def response_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    invitation = _visible_invitation(request, pk)
    stored = get_object_or_404(AnswerFile, pk=file_pk, invitation=invitation)
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)
    response["Content-Type"] = stored.content_type
    return response


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's page: no account, the personal link is the key."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404(_("This survey link is not valid."))
    if invitation.submitted_at is not None:
        return render(request, "surveys/answer_done.html", {"invitation": invitation})
    submitting = request.POST.get("action") == "submit"
    form = AnswerForm(
        request.POST or None, request.FILES or None, invitation=invitation, submitting=submitting
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save(
                invitation=invitation,
                values=form.cleaned_data,
                submit=submitting,
                language=get_language() or "en",
            )
        except ValidationError as error:
            for key, texts in error.message_dict.items():
                form.add_error(key if key in form.fields else None, texts)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            if submitting:
                return redirect("surveys:answer", token=token)
            messages.success(
                request, _("Your answers were saved. Come back to this link any time to finish.")
            )
            return redirect("surveys:answer", token=token)
    return render(
        request,
        "surveys/answer.html",
        {"invitation": invitation, "form": form, "questionnaire": invitation.version.questionnaire},
    )
