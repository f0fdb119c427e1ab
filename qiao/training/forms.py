from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.core.forms import CheckboxGrid, IsoDateInput, IsoDateTimeInput, IsoTimeInput
from qiao.core.languages import ContentLanguage
from qiao.core.limits import file_limit_text
from qiao.deals.models import AgreementType, DealStage
from qiao.exchange.models import Sector
from qiao.resources.files import MAX_RESOURCE_BYTES
from qiao.training.models import Assignment, Cohort, Lecturer, Module, TimeZoneChoice


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
    day = forms.DateField(label=_("Date"), widget=IsoDateInput())
    start = forms.TimeField(label=_("Starts"), widget=IsoTimeInput())
    end = forms.TimeField(label=_("Ends"), widget=IsoTimeInput())
    time_zone = forms.ChoiceField(label=_("Held in time zone"), choices=TimeZoneChoice.choices)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    lecturers = forms.ModelMultipleChoiceField(
        label=_("Lecturers"),
        queryset=Lecturer.objects.none(),
        required=False,
        widget=CheckboxGrid(),
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


# --- authoring ---------------------------------------------------------------------------------


WIDE = forms.TextInput(attrs={"size": 60})


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class CaseTagsForm(forms.Form):
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("code"),
        required=False,
        widget=CheckboxGrid(),
    )
    stage = forms.ChoiceField(
        label=_("Stage reached"), choices=_blank(DealStage.choices), required=False
    )
    agreement_type = forms.ChoiceField(
        label=_("Type of agreement"), choices=_blank(AgreementType.choices), required=False
    )
    lessons = forms.CharField(
        label=_("Lessons (comma-separated tags)"), max_length=500, required=False, widget=WIDE
    )


class CaseTextForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("training", "Title"), max_length=255, widget=WIDE)
    background = forms.CharField(
        label=_("Background"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    parties = forms.CharField(
        label=_("Parties"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    technology = forms.CharField(
        label=_("Technology"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    obstacles = forms.CharField(
        label=_("Obstacles"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.CharField(
        label=_("What happened"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    questions = forms.CharField(
        label=_("Discussion questions (one per line)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    teaching_notes = forms.CharField(
        label=_("Teaching notes (lecturers and the secretariat only)"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NewCaseForm(CaseTagsForm, CaseTextForm):
    language = forms.ChoiceField(label=_("Language you write in"), choices=ContentLanguage.choices)

    field_order = ["language", *CaseTextForm.base_fields, *CaseTagsForm.base_fields]


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


class AssignmentForm(forms.Form):
    """Deadlines are entered as the clock shows them in the chosen time zone."""

    module = forms.ModelChoiceField(
        label=_("Module"), queryset=Module.objects.none(), required=False
    )
    title_zh = forms.CharField(
        label=_("Title (Chinese)"), max_length=255, required=False, widget=WIDE
    )
    title_ru = forms.CharField(
        label=_("Title (Russian)"), max_length=255, required=False, widget=WIDE
    )
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=255, required=False, widget=WIDE
    )
    situation_zh = forms.CharField(
        label=_("Situation (Chinese)"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    situation_ru = forms.CharField(
        label=_("Situation (Russian)"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    situation_en = forms.CharField(
        label=_("Situation (English)"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    time_zone = forms.ChoiceField(label=_("Deadlines in time zone"), choices=TimeZoneChoice.choices)
    partners_due = forms.DateTimeField(
        label=_("Partners chosen by"),
        widget=IsoDateTimeInput(),
    )
    deal_due = forms.DateTimeField(
        label=_("Deal closed by"),
        widget=IsoDateTimeInput(),
    )

    def __init__(
        self,
        *args: Any,
        cohort: Cohort,
        assignment: Assignment | None = None,
        zone: str = TimeZoneChoice.HARBIN,
        **kwargs: Any,
    ) -> None:
        """`zone`: the viewer's time zone, in which the deadlines are shown at first."""
        if zone not in TimeZoneChoice.values:
            zone = TimeZoneChoice.HARBIN
        if assignment is None:
            kwargs.setdefault("initial", {"time_zone": zone})
        elif "initial" not in kwargs:
            kwargs["initial"] = {
                "module": assignment.module_id,
                **{
                    f"{stem}_{code}": getattr(assignment, f"{stem}_{code}")
                    for stem in ("title", "situation")
                    for code in ("zh", "ru", "en")
                },
                "time_zone": zone,
                "partners_due": _local(assignment.partners_due, zone),
                "deal_due": _local(assignment.deal_due, zone),
                "published": assignment.published,
            }
        super().__init__(*args, **kwargs)
        module_field = self.fields["module"]
        assert isinstance(module_field, forms.ModelChoiceField)
        module_field.queryset = Module.objects.filter(programme_id=cohort.programme_id)
        if assignment is not None:
            self.fields["published"] = forms.BooleanField(
                label=_("Published (trainees see it)"), required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("time_zone")
        for name in ("partners_due", "deal_due"):
            moment = data.get(name)
            if zone and moment is not None:
                data[name] = moment.replace(tzinfo=None).replace(tzinfo=ZoneInfo(zone))
        return data

    def titles(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"title_{code}"] for code in ("zh", "ru", "en")}

    def situations(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"situation_{code}"] for code in ("zh", "ru", "en")}


class SandboxOfferForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=ContentLanguage.choices)
    organization_name = forms.CharField(
        label=_("Organisation (fictitious)"), max_length=255, widget=WIDE
    )
    title = forms.CharField(label=pgettext_lazy("training", "Title"), max_length=255, widget=WIDE)
    summary = forms.CharField(
        label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_reference = forms.BooleanField(label=_("In the reference solution"), required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("training", "Title"), max_length=255, widget=WIDE)
    language = forms.ChoiceField(label=_("Language"), choices=ContentLanguage.choices)
    url = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 60}),
    )
    file = forms.FileField(
        label=_("or a file"),
        required=False,
        help_text=file_limit_text(
            _("PDF, DOCX, PPTX, XLSX, ZIP, JPG or PNG, at most %(limit)s."), MAX_RESOURCE_BYTES
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either a link or a file."))
        return data
