from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.alliance.models import Specialty
from qiao.core.forms import CheckboxGrid
from qiao.core.languages import ContentLanguage
from qiao.core.limits import file_limit_text
from qiao.organizations.models import Organization
from qiao.resources.files import MAX_RESOURCE_BYTES, check_resource_file
from qiao.resources.models import Resource, ResourceLevel
from qiao.resources.services import Content


class _Named(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


class _NamedMultiple(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search in any language"), required=False, max_length=300)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *ContentLanguage.choices],
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level")), *ResourceLevel.choices]
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


class ContentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=file_limit_text(
            _("PDF, DOCX, PPTX, XLSX, ZIP, JPG or PNG, at most %(limit)s; or give a link."),
            MAX_RESOURCE_BYTES,
        ),
    )
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_resource_file(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "file" in self.errors or "url" in self.errors:
            return data  # the field's own message says what is wrong
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Give either a file or a link, not both."))
        return data

    def content(self) -> Content:
        d = self.cleaned_data
        return Content(file=d.get("file"), url=d.get("url", ""), note=d.get("note", ""))


class ResourceForm(forms.ModelForm[Resource]):
    specialty = _Named(label=_("Specialty"), queryset=Specialty.objects.all(), required=False)
    organizations = _NamedMultiple(
        label=_("Member organisations"),
        queryset=Organization.objects.none(),
        widget=CheckboxGrid(scroll=True),
    )

    class Meta:
        model = Resource
        fields = [
            "title", "description", "language",
            "title_zh", "description_zh", "title_ru", "description_ru",
            "title_en", "description_en",
            "specialty", "level", "licence", "organizations", "co_developed",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_zh": forms.Textarea(attrs={"rows": 2}),
            "description_ru": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "title_zh": _("Optional: readers of the other languages see the translation."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Organization.objects.filter(membership__status="member").order_by("id")
        self.fields["organizations"].queryset = members  # type: ignore[attr-defined]


class InviteForm(forms.Form):
    who = forms.CharField(label=_("User name or e-mail of the co-author"), max_length=254)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
