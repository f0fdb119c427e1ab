"""The respondent's form, built from a version's questions in the reader's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qiao.core.forms import CheckboxGrid
from qiao.core.limits import file_limit_text
from qiao.exchange.models import Sector
from qiao.organizations.models import Organization
from qiao.surveys.models import Invitation, Question, QuestionKind

SCALE = [(str(n), str(n)) for n in range(1, 6)]


def _field(question: Question, required: bool) -> forms.Field:
    label = question.text()
    options = [(str(i), label_) for i, label_ in enumerate(question.option_labels())]
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return forms.CharField(
            label=label, required=required, max_length=4000, widget=forms.Textarea({"rows": 3})
        )
    if kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            label=label, required=required, choices=options, widget=forms.RadioSelect
        )
    if kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label, required=required, choices=options, widget=CheckboxGrid()
        )
    if kind == QuestionKind.SCALE:
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=SCALE,
            widget=forms.RadioSelect,
            help_text=_("1 = not at all, 5 = very much"),
        )
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(label=label, required=required, max_digits=16, decimal_places=2)
    if kind == QuestionKind.SECTOR:
        return forms.ModelChoiceField(
            label=label,
            required=required,
            queryset=Sector.objects.order_by("code"),
            to_field_name="code",
        )
    return forms.FileField(
        label=label,
        required=False,
        help_text=file_limit_text(_("At most %(limit)s."), settings.QIAO_DEAL_DOCUMENT_MAX_BYTES),
    )


class AnswerForm(forms.Form):
    """Saving a draft accepts gaps; submitting needs every required answer."""

    def __init__(self, *args: Any, invitation: Invitation, submitting: bool, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        for question in invitation.version.questions.all():
            value = invitation.answers.get(str(question.pk))
            if value is None:
                continue
            if question.kind == QuestionKind.MULTIPLE:
                initial[f"q{question.pk}"] = [str(v) for v in value]
            else:
                initial[f"q{question.pk}"] = (
                    str(value) if question.kind != QuestionKind.SECTOR else value
                )
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        uploaded = {f.question_id for f in invitation.files.all()}
        for question in invitation.version.questions.all():
            needed = submitting and question.required
            if question.kind == QuestionKind.FILE:
                needed = needed and question.pk not in uploaded
            field = _field(question, needed)
            if question.required:
                field.label = f"{field.label} *"
            self.fields[f"q{question.pk}"] = field


class SendForm(forms.Form):
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organization.objects.order_by("country", "id"),
        widget=CheckboxGrid(scroll=True),
    )
