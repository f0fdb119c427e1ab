from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.core.forms import IsoDateInput
from qiao.governance.models import (
    CharterVersion,
    CouncilTerm,
    Decision,
    ExpertMember,
    GoverningMeeting,
    MinutesVersion,
)
from qiao.organizations.models import Organization


class OrganizationField(forms.ModelChoiceField[Organization]):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.display_name()


def _members() -> Any:
    return Organization.objects.filter(membership__status="member").order_by("id")


DATE = IsoDateInput()
TEXT = forms.Textarea(attrs={"rows": 6})


class CharterVersionForm(forms.ModelForm[CharterVersion]):
    class Meta:
        model = CharterVersion
        fields = [
            "text_zh", "text_ru", "text_en", "vote_date",
            "votes_for", "votes_against", "votes_abstained", "result",
        ]  # fmt: skip
        widgets = {"vote_date": DATE, "text_zh": TEXT, "text_ru": TEXT, "text_en": TEXT}


class AppointForm(forms.ModelForm[CouncilTerm]):
    organization = OrganizationField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )

    class Meta:
        model = CouncilTerm
        fields = ["position", "holder_name", "organization", "starts_on"]
        widgets = {"starts_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _members()  # type: ignore[attr-defined]


class ExpertForm(forms.ModelForm[ExpertMember]):
    organization = OrganizationField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )

    class Meta:
        model = ExpertMember
        fields = ["name", "organization", "field_zh", "field_ru", "field_en", "starts_on"]
        widgets = {"starts_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _members()  # type: ignore[attr-defined]


class MeetingForm(forms.ModelForm[GoverningMeeting]):
    class Meta:
        model = GoverningMeeting
        fields = [
            "kind", "held_on", "venue", "title_zh", "title_ru", "title_en",
            "agenda_zh", "agenda_ru", "agenda_en",
        ]  # fmt: skip
        widgets = {"held_on": DATE, "agenda_zh": TEXT, "agenda_ru": TEXT, "agenda_en": TEXT}


class MinutesForm(forms.ModelForm[MinutesVersion]):
    class Meta:
        model = MinutesVersion
        fields = ["text_zh", "text_ru", "text_en"]
        widgets = {"text_zh": TEXT, "text_ru": TEXT, "text_en": TEXT}


class DecisionForm(forms.ModelForm[Decision]):
    class Meta:
        model = Decision
        fields = [
            "text_zh", "text_ru", "text_en",
            "votes_for", "votes_against", "votes_abstained", "result",
        ]  # fmt: skip
        widgets = {"text_zh": TEXT, "text_ru": TEXT, "text_en": TEXT}


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("End date"), widget=DATE)


class CouncilCorrectionForm(forms.ModelForm[CouncilTerm]):
    organization = OrganizationField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )

    class Meta:
        model = CouncilTerm
        fields = ["holder_name", "organization", "starts_on"]
        widgets = {"starts_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _members()  # type: ignore[attr-defined]


_CORRECTION_BASES: dict[str, type[forms.ModelForm[Any]]] = {
    "charter": CharterVersionForm,
    "council": CouncilCorrectionForm,
    "expert": ExpertForm,
    "meeting": MeetingForm,
    "decision": DecisionForm,
}


def correction_form(kind: str) -> type[forms.ModelForm[Any]]:
    """The record's own form plus the reason for the correction."""

    class CorrectionForm(_CORRECTION_BASES[kind]):  # type: ignore[misc,valid-type]
        reason = forms.CharField(
            label=_("Why is it corrected?"),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Kept with the earlier values in the record's history."),
        )

    return CorrectionForm
