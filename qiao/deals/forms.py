"""Forms of the broker workspace: field validation at the edge; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.core.forms import IsoDateInput
from qiao.deals.models import AgreementType, Currency, PassReason
from qiao.deals.services import MAX_MESSAGE_CHARS


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owner"),
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea({"rows": 5}),
        help_text=_("Who you are and what you would like to do together. Write in any language."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the introduction")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Required when declining; the sender sees it."),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Please give the reason for declining."))
        return cleaned


class PassForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you not interested?"),
        choices=PassReason.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("The owner sees the reason and your comment, not who wrote it."),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == PassReason.OTHER and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Please say briefly why."))
        return cleaned


class MoveForm(forms.Form):
    stage = forms.CharField(max_length=20)


class StepForm(forms.Form):
    done = forms.BooleanField(required=False)


class DeadlineForm(forms.Form):
    deadline = forms.DateField(
        label=_("Deadline of this stage"),
        required=False,
        widget=IsoDateInput(),
    )


class AgreementForm(forms.Form):
    agreement_type = forms.ChoiceField(label=_("Agreement type"), choices=AgreementType.choices)
    agreement_value = forms.DecimalField(
        label=_("Value"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.ChoiceField(
        label=_("Currency"), required=False, choices=[("", "—"), *Currency.choices]
    )
    agreement_signed_on = forms.DateField(
        label=_("Signed on"), required=False, widget=IsoDateInput()
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("agreement_value") is not None and not cleaned.get("currency"):
            self.add_error("currency", _("Please choose the currency of the value."))
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea({"rows": 3}))


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))
