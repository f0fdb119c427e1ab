from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.accounts.models import UILanguage
from qiao.alliance import files, regions, services
from qiao.alliance.models import DocumentKind, ProspectStage, Specialty
from qiao.core.forms import CheckboxGrid
from qiao.core.languages import ContentLanguage
from qiao.core.limits import file_limit_text
from qiao.organizations.models import Country, OrganizationKind

DOCUMENT_HELP = file_limit_text(
    _("PDF, JPG, PNG or DOCX, at most %(limit)s."), files.MAX_DOCUMENT_BYTES
)


def _region_choices() -> list[tuple[str, str]]:
    return [("", "—"), *regions.region_choices()]


class SpecialtyChoiceField(forms.ModelMultipleChoiceField[Specialty]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


def _check_region(form: forms.Form, country: str, region: str, *, required: bool) -> None:
    if region and not region.startswith(f"{country}-"):
        form.add_error("region", _("This province or region is not in the chosen country."))
    elif required and not region and country == Country.CN:
        form.add_error("region", _("Choose the province of a Chinese organisation."))


class ApplicationForm(forms.Form):
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=255, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=255, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganizationKind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    region = forms.ChoiceField(
        label=_("Province or region"), choices=_region_choices, required=False
    )
    city = forms.CharField(label=_("City"), max_length=128)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("About the organisation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_language = forms.ChoiceField(
        label=_("Language of this text"), choices=ContentLanguage.choices
    )
    specialties = SpecialtyChoiceField(
        label=_("Specialties"),
        queryset=Specialty.objects.all(),
        required=False,
        widget=CheckboxGrid(),
    )
    motivation = forms.CharField(
        label=_("What you bring to the alliance and expect from it"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rep_name = forms.CharField(label=_("Representative's full name"), max_length=128)
    rep_position = forms.CharField(label=_("Position"), max_length=128)
    rep_email = forms.EmailField(label=_("E-mail"))
    rep_phone = forms.RegexField(
        label=_("Telephone"),
        regex=r"^\+?[0-9 ()\-]{6,32}$",
        required=False,
        error_messages={"invalid": _("Enter a telephone number: digits, spaces, + ( ) -.")},
    )
    language = forms.ChoiceField(
        label=_("Language of our e-mails to you"), choices=UILanguage.choices
    )
    registration = forms.FileField(label=_("Registration certificate"), help_text=DOCUMENT_HELP)
    letter = forms.FileField(label=_("Letter of intent"), required=False, help_text=DOCUMENT_HELP)
    other = forms.FileField(label=_("Other document"), required=False, help_text=DOCUMENT_HELP)
    consent = forms.BooleanField(
        label=_(
            "I agree that the alliance secretariat processes these data to review the application."
        )
    )

    FILE_FIELDS = {
        "registration": DocumentKind.REGISTRATION,
        "letter": DocumentKind.LETTER,
        "other": DocumentKind.OTHER,
    }

    FIELDSETS = (
        (
            _("Organisation"),
            (
                "name_zh",
                "name_ru",
                "name_en",
                "kind",
                "country",
                "region",
                "city",
                "website",
                "description",
                "description_language",
                "specialties",
                "motivation",
            ),
        ),
        (_("Representative"), ("rep_name", "rep_position", "rep_email", "rep_phone", "language")),
        (pgettext_lazy("alliance", "Documents"), ("registration", "letter", "other")),
    )

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def _clean_file(self, name: str) -> Any:
        upload = self.cleaned_data.get(name)
        if upload:
            files.check_document(upload)
        return upload

    def clean_registration(self) -> Any:
        return self._clean_file("registration")

    def clean_letter(self) -> Any:
        return self._clean_file("letter")

    def clean_other(self) -> Any:
        return self._clean_file("other")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"name_{code}", "").strip() for code in ("zh", "ru", "en")):
            raise ValidationError(_("Give the organisation's name in at least one language."))
        _check_region(self, data.get("country", ""), data.get("region", ""), required=True)
        return data

    def application_data(self) -> services.ApplicationData:
        d = self.cleaned_data
        return services.ApplicationData(
            name_zh=d["name_zh"].strip(),
            name_ru=d["name_ru"].strip(),
            name_en=d["name_en"].strip(),
            kind=d["kind"],
            country=d["country"],
            region=d["region"],
            city=d["city"].strip(),
            website=d["website"],
            description=d["description"].strip(),
            description_language=d["description_language"],
            motivation=d["motivation"].strip(),
            rep_name=d["rep_name"].strip(),
            rep_position=d["rep_position"].strip(),
            rep_email=d["rep_email"],
            rep_phone=d["rep_phone"],
            language=d["language"],
            specialties=tuple(d["specialties"]),
        )

    def uploads(self) -> list[services.Upload]:
        return [
            services.Upload(kind=kind, file=self.cleaned_data[name])
            for name, kind in self.FILE_FIELDS.items()
            if self.cleaned_data.get(name)
        ]


class RespondForm(forms.Form):
    message = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    document = forms.FileField(
        label=_("Additional document"),
        required=False,
        help_text=DOCUMENT_HELP,
    )

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            files.check_document(upload)
        return upload


class DecisionForm(forms.Form):
    DECISIONS = (
        ("approve", _("Approve")),
        ("more_info", _("Request more information")),
        ("reject", _("Reject")),
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    message = forms.CharField(
        label=_("Message to the applicant"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject or ask for more information."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") in ("reject", "more_info") and not data.get("message", "").strip():
            self.add_error(
                "message",
                _("Give the reason for the rejection.")
                if data["decision"] == "reject"
                else _("Say what information is missing."),
            )
        return data


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *OrganizationKind.choices]
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any country")), *Country.choices]
    )
    region = forms.ChoiceField(
        label=_("Province or region"),
        required=False,
        choices=lambda: [("", _("Any province or region")), *regions.region_choices()],
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


class ProspectForm(forms.Form):
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=255, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=255, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganizationKind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    region = forms.ChoiceField(
        label=_("Province or region"), choices=_region_choices, required=False
    )
    city = forms.CharField(label=_("City"), max_length=128, required=False)
    stage = forms.ChoiceField(label=_("Pipeline stage"), choices=ProspectStage.choices)
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"name_{code}", "").strip() for code in ("zh", "ru", "en")):
            raise ValidationError(_("Give the organisation's name in at least one language."))
        _check_region(self, data.get("country", ""), data.get("region", ""), required=False)
        return data


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Pipeline stage"), choices=ProspectStage.choices)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
