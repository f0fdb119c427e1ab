from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.core.languages import ContentLanguage
from qiao.training.models import Cohort, Lecturer, Module, TimeZoneChoice


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    motivation_language = forms.ChoiceField(
        label=_("Language you wrote in"), choices=ContentLanguage.choices
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (needed to reject)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(label=_("Show times in"), choices=TimeZoneChoice.choices)


class SessionForm(forms.Form):
    """Times as the clock shows them where the session is held."""

    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=255, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=255, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=255, required=False)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = forms.ChoiceField(label=_("Held in time zone"), choices=TimeZoneChoice.choices)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    lecturers = forms.ModelMultipleChoiceField(
        label=_("Lecturers"), queryset=Lecturer.objects.none(), required=False
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        module_field = self.fields["module"]
        assert isinstance(module_field, forms.ModelChoiceField)
        module_field.queryset = Module.objects.filter(programme_id=cohort.programme_id)
        lecturer_field = self.fields["lecturers"]
        assert isinstance(lecturer_field, forms.ModelMultipleChoiceField)
        lecturer_field.queryset = cohort.lecturers.select_related("user", "organization")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{code}") for code in ("zh", "ru", "en")):
            raise forms.ValidationError(_("Write the title in at least one language."))
        if not (data.get("place") or data.get("online_link")):
            raise forms.ValidationError(_("Give a place or an online link."))
        return data


class JustificationForm(forms.Form):
    justification = forms.CharField(
        label=_("Why these partners?"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("Language you wrote in"), choices=ContentLanguage.choices)


class GradeForm(forms.Form):
    rubric_score = forms.IntegerField(label=_("Rubric score (0–100)"), min_value=0, max_value=100)
    feedback = forms.CharField(
        label=_("Feedback"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
