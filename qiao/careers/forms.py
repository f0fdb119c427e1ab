"""Forms of the careers app: field-level validation at the edge, then the service's data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiao.careers.models import (
    ApplicationStatus,
    ChineseLevel,
    EnglishLevel,
    Posting,
    PostingKind,
    RussianLevel,
    StudyLevel,
    TalentProfile,
)
from qiao.careers.services import PostingData, TalentData
from qiao.core.forms import CheckboxGrid, IsoDateInput
from qiao.core.languages import ContentLanguage
from qiao.core.limits import file_limit_text
from qiao.exchange.forms import split_keywords
from qiao.organizations.models import Country, Organization, OrganizationKind

DATE = IsoDateInput()
SKILLS_HELP = _("Separate skills with commas.")


def add_validation_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PostingForm(forms.ModelForm[Posting]):
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Organization.objects.none())
    skills_text = forms.CharField(
        label=_("Skills"), required=False, max_length=1500, help_text=SKILLS_HELP
    )

    class Meta:
        model = Posting
        fields = [
            "employer",
            "kind",
            "language",
            "title",
            "description",
            "requirements",
            "specialty",
            "skills_text",
            "country",
            "city",
            "min_chinese",
            "min_russian",
            "min_english",
            "start_date",
            "end_date",
            "duration_months",
            "pay_monthly",
            "currency",
            "housing",
            "visa_support",
            "places",
            "closes_on",
        ]
        widgets = {
            "description": forms.Textarea({"rows": 6}),
            "requirements": forms.Textarea({"rows": 4}),
            "start_date": DATE,
            "end_date": DATE,
            "closes_on": DATE,
        }
        help_texts = {
            "language": _("Write the posting in one language; candidates find it in all three."),
        }

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = employers
        if self.instance.pk:
            field.initial = self.instance.employer_id
            self.fields["skills_text"].initial = ", ".join(self.instance.skills)
        elif employers.count() == 1 and not self.is_bound:
            field.initial = employers.first()

    def _post_clean(self) -> None:
        # The service validates and writes; the form only parses.
        pass

    def posting_data(self) -> PostingData:
        d = self.cleaned_data
        return PostingData(
            kind=d["kind"],
            language=d["language"],
            title=d["title"].strip(),
            description=d["description"].strip(),
            requirements=d.get("requirements", "").strip(),
            country=d["country"],
            city=d["city"].strip(),
            specialty=d["specialty"].strip(),
            skills=tuple(split_keywords(d.get("skills_text", ""))),
            min_chinese=d["min_chinese"],
            min_russian=d["min_russian"],
            min_english=d["min_english"],
            start_date=d["start_date"],
            end_date=d.get("end_date"),
            duration_months=d.get("duration_months"),
            pay_monthly=d.get("pay_monthly"),
            currency=d.get("currency", ""),
            housing=d.get("housing", False),
            visa_support=d.get("visa_support", False),
            places=d["places"],
            closes_on=d["closes_on"],
        )


class TalentProfileForm(forms.ModelForm[TalentProfile]):
    skills_text = forms.CharField(
        label=_("Skills"), required=False, max_length=1500, help_text=SKILLS_HELP
    )
    preferred_countries = forms.MultipleChoiceField(
        label=_("Preferred countries"),
        choices=Country.choices,
        required=False,
        widget=CheckboxGrid(),
    )
    remove_cv = forms.BooleanField(label=_("Remove my CV"), required=False)

    class Meta:
        model = TalentProfile
        fields = [
            "institution",
            "language",
            "headline",
            "specialty",
            "study_level",
            "skills_text",
            "experience",
            "chinese_level",
            "russian_level",
            "english_level",
            "preferred_countries",
            "available_from",
            "available_to",
            "cv",
            "remove_cv",
            "in_talent_pool",
            "allowed_employers",
        ]
        widgets = {
            "experience": forms.Textarea({"rows": 6}),
            "available_from": DATE,
            "available_to": DATE,
            "cv": forms.FileInput(attrs={"accept": ".pdf,.docx"}),
            "allowed_employers": CheckboxGrid(scroll=True),
        }
        help_texts = {
            "cv": file_limit_text(
                _(
                    "PDF or Word (.docx), at most %(limit)s. Only those allowed to see your "
                    "profile can download it."
                ),
                settings.QIAO_CV_MAX_BYTES,
            ),
            "allowed_employers": _(
                "These organisations may see your profile even if you have not applied to them."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution = self.fields["institution"]
        assert isinstance(institution, forms.ModelChoiceField)
        institution.queryset = Organization.objects.exclude(
            kind__in=[OrganizationKind.ENTERPRISE, OrganizationKind.GOVERNMENT]
        ).order_by("country", "id")
        employers = self.fields["allowed_employers"]
        assert isinstance(employers, forms.ModelMultipleChoiceField)
        employers.queryset = Organization.objects.order_by("country", "id")
        employers.required = False
        if self.instance.pk:
            self.fields["skills_text"].initial = ", ".join(self.instance.skills)
            self.fields["preferred_countries"].initial = self.instance.preferred_countries

    def _post_clean(self) -> None:
        pass

    def talent_data(self) -> TalentData:
        d = self.cleaned_data
        return TalentData(
            institution=d["institution"],
            language=d["language"],
            headline=d["headline"].strip(),
            specialty=d["specialty"].strip(),
            study_level=d["study_level"],
            skills=tuple(split_keywords(d.get("skills_text", ""))),
            experience=d.get("experience", "").strip(),
            chinese_level=d["chinese_level"],
            russian_level=d["russian_level"],
            english_level=d["english_level"],
            preferred_countries=tuple(d.get("preferred_countries", ())),
            available_from=d.get("available_from"),
            available_to=d.get("available_to"),
            in_talent_pool=d.get("in_talent_pool", False),
            allowed_employers=tuple(d.get("allowed_employers") or ()),
        )


class PostingSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=500)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *PostingKind.choices]
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any country")), *Country.choices]
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        required=False,
        choices=[("", _("Any language")), *ContentLanguage.choices],
    )
    housing = forms.BooleanField(label=_("Housing provided"), required=False)
    visa_support = forms.BooleanField(label=_("Visa support"), required=False)
    my_levels = forms.BooleanField(
        label=_("Only postings whose language requirements I meet"), required=False
    )


class CandidateFilterForm(forms.Form):
    study_level = forms.ChoiceField(
        label=_("Level of study"),
        required=False,
        choices=[("", pgettext_lazy("careers", "Any level")), *StudyLevel.choices],
    )
    institution_country = forms.ChoiceField(
        label=_("Country of the institution"),
        required=False,
        choices=[("", _("Any country")), *Country.choices],
    )
    meets_requirements = forms.BooleanField(
        label=_("Only candidates who meet the hard requirements"), required=False
    )


class TalentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=500)
    study_level = forms.ChoiceField(
        label=_("Level of study"),
        required=False,
        choices=[("", pgettext_lazy("careers", "Any level")), *StudyLevel.choices],
    )
    institution_country = forms.ChoiceField(
        label=_("Country of the institution"),
        required=False,
        choices=[("", _("Any country")), *Country.choices],
    )
    min_chinese = forms.TypedChoiceField(
        label=_("Chinese at least"), choices=ChineseLevel.choices, coerce=int, required=False
    )
    min_russian = forms.TypedChoiceField(
        label=_("Russian at least"), choices=RussianLevel.choices, coerce=int, required=False
    )
    min_english = forms.TypedChoiceField(
        label=_("English at least"), choices=EnglishLevel.choices, coerce=int, required=False
    )

    def filters(self) -> Any:
        from qiao.careers.selectors import TalentFilters

        d = self.cleaned_data
        return TalentFilters(
            study_level=d["study_level"],
            institution_country=d["institution_country"],
            min_chinese=d["min_chinese"] or 0,
            min_russian=d["min_russian"] or 0,
            min_english=d["min_english"] or 0,
        )


class ApplyForm(forms.Form):
    cover_letter = forms.CharField(
        label=_("Cover letter"),
        max_length=4000,
        required=False,
        widget=forms.Textarea({"rows": 8}),
    )
    cover_letter_language = forms.ChoiceField(
        label=_("Language of the cover letter"), choices=ContentLanguage.choices
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )


class ApplicationStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ApplicationStatus.choices)


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account, profile and CV are deleted for good."),
        help_text=_(
            "Your applications stay with the employers, without your name or cover letter."
        ),
    )
