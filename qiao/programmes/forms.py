from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.alliance.models import Specialty
from qiao.core.forms import CheckboxGrid
from qiao.core.languages import ContentLanguage
from qiao.organizations.models import Organization
from qiao.programmes.models import HSK_LEVELS, Level, Programme, ProgrammeKind, Torfl
from qiao.programmes.services import ApplicationData


class _Named(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


class _NamedMultiple(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


class CatalogueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ProgrammeKind.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level")), *Level.choices]
    )
    language = forms.ChoiceField(
        label=_("Language of instruction"),
        required=False,
        choices=[("", _("Any language")), *ContentLanguage.choices],
    )
    specialty = forms.ChoiceField(label=_("Specialty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["specialty"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Any specialty")),
            *((s.code, s.display_name()) for s in Specialty.objects.all()),
        ]


class ProgrammeForm(forms.ModelForm[Programme]):
    lead = _Named(label=_("Lead institution"), queryset=Organization.objects.none())
    partners_field = _NamedMultiple(
        label=_("Partner institutions"),
        queryset=Organization.objects.none(),
        required=False,
        widget=CheckboxGrid(scroll=True),
    )
    specialty = _Named(label=_("Specialty"), queryset=Specialty.objects.all(), required=False)
    instruction_languages = forms.MultipleChoiceField(
        label=_("Languages of instruction"),
        choices=ContentLanguage.choices,
        widget=CheckboxGrid(),
    )

    class Meta:
        model = Programme
        fields = [
            "kind", "level", "title_zh", "title_ru", "title_en", "description",
            "description_language", "specialty", "lead", "instruction_languages",
            "duration_months", "quota", "hsk_required", "torfl_required", "other_requirements",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, leads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Organization.objects.filter(membership__status="member").order_by("id")
        self.fields["lead"].queryset = leads  # type: ignore[attr-defined]
        self.fields["partners_field"].queryset = members  # type: ignore[attr-defined]
        if self.instance.pk:
            # Current partners stay selectable even if they are no longer members.
            current = self.instance.partners.all()
            self.fields["partners_field"].queryset = (  # type: ignore[attr-defined]
                Organization.objects.filter(
                    Q(membership__status="member") | Q(pk__in=current.values("pk"))
                )
                .distinct()
                .order_by("id")
            )
            self.initial.setdefault("partners_field", list(current))


class ProgrammeEditForm(ProgrammeForm):
    """The same fields, plus closing the programme to applications."""

    class Meta(ProgrammeForm.Meta):
        fields = [*ProgrammeForm.Meta.fields, "open_for_applications"]


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why this programme"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    motivation_language = forms.ChoiceField(
        label=_("Language of this text"), choices=ContentLanguage.choices
    )
    hsk_level = forms.TypedChoiceField(
        label=_("Your HSK level"),
        choices=[("", _("None")), *HSK_LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    torfl_level = forms.TypedChoiceField(
        label=_("Your ТРКИ level"),
        choices=[("", _("None")), *Torfl.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def application_data(self) -> ApplicationData:
        d = self.cleaned_data
        return ApplicationData(
            motivation=d["motivation"],
            motivation_language=d["motivation_language"],
            hsk_level=d["hsk_level"],
            torfl_level=d["torfl_level"],
        )


class MoveForm(forms.Form):
    to = forms.ChoiceField(
        choices=[
            ("under_review", _("Start the review")),
            ("offer", _("Make an offer")),
            ("accepted", _("Accept the offer")),
            ("declined", pgettext_lazy("alliance", "Decline")),
        ]
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
