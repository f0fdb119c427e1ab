"""Forms for technology profiles: field-level validation at the edge, then ProfileData."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qiao.core.forms import CheckboxGrid
from qiao.core.languages import ContentLanguage
from qiao.exchange.models import (
    DevelopmentStage,
    IPRStatus,
    MatchStatus,
    PartnershipType,
    Profile,
    ProfileKind,
    Sector,
)
from qiao.exchange.services import (
    MAX_KEYWORD_CHARS,
    MAX_KEYWORDS,
    ProfileData,
    check_profile_language,
)
from qiao.organizations.models import Country, Organization

_KEYWORD_SPLIT = re.compile(r"[,;，；、\n]+")


def split_keywords(raw: str) -> list[str]:
    """Keywords separated by commas or semicolons, in any of the three scripts' punctuation."""
    seen: list[str] = []
    for word in _KEYWORD_SPLIT.split(raw or ""):
        word = word.strip()
        if word and word.casefold() not in {w.casefold() for w in seen}:
            seen.append(word)
    return seen


class SectorChoiceField(forms.ModelMultipleChoiceField[Sector]):
    def label_from_instance(self, obj: Sector) -> str:
        name = obj.display_name()
        return f"— {name}" if obj.parent_id else name


class ProfileForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ProfileKind.choices)
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=ContentLanguage.choices,
        help_text=_("Write the profile in one language; partners will find it in all three."),
    )
    title = forms.CharField(label=_("Title"), max_length=256)
    summary = forms.CharField(
        label=_("Summary"), max_length=500, widget=forms.Textarea({"rows": 3})
    )
    description = forms.CharField(
        label=_("Description"), max_length=4000, widget=forms.Textarea({"rows": 8})
    )
    advantages = forms.CharField(
        label=_("Advantages and innovation"),
        max_length=4000,
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    technical_specification = forms.CharField(
        label=_("Technical specification or expertise sought"),
        max_length=4000,
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    # No preselected answer: the first choice ("Patent granted", "Concept / idea") would be
    # submitted unread for offers and requests alike.
    development_stage = forms.ChoiceField(
        label=_("Development stage"), choices=[("", "—"), *DevelopmentStage.choices]
    )
    ipr_status = forms.ChoiceField(label=_("IPR status"), choices=[("", "—"), *IPRStatus.choices])
    sectors = SectorChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("code"),
        widget=CheckboxGrid(),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=1000,
        help_text=_("Separate keywords with commas."),
    )
    partnership_types = forms.MultipleChoiceField(
        label=_("Partnership types sought"),
        choices=PartnershipType.choices,
        required=False,
        widget=CheckboxGrid(),
    )
    target_countries = forms.MultipleChoiceField(
        label=_("Target countries"),
        choices=Country.choices,
        required=False,
        widget=CheckboxGrid(),
    )
    interest_open = forms.BooleanField(
        label=_("Open for expressions of interest"),
        required=False,
        initial=True,
        help_text=_("Other organisations may ask to be introduced to you."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=_("Your organisation stays hidden until you are introduced to a partner."),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        if organizations.count() == 1 and not self.is_bound:
            field.initial = organizations.first()

    @classmethod
    def initial_from(cls, profile: Profile) -> dict[str, Any]:
        return {
            "organization": profile.organization_id,
            "kind": profile.kind,
            "language": profile.language,
            "title": profile.title,
            "summary": profile.summary,
            "description": profile.description,
            "advantages": profile.advantages,
            "technical_specification": profile.technical_specification,
            "development_stage": profile.development_stage,
            "ipr_status": profile.ipr_status,
            "sectors": list(profile.sectors.all()),
            "keywords": ", ".join(profile.keywords),
            "partnership_types": profile.partnership_types,
            "target_countries": profile.target_countries,
            "interest_open": profile.interest_open,
            "anonymous": profile.anonymous,
        }

    def clean_keywords(self) -> list[str]:
        words = split_keywords(self.cleaned_data.get("keywords", ""))
        if len(words) > MAX_KEYWORDS:
            raise ValidationError(
                _("At most %(max)d keywords, please."), params={"max": MAX_KEYWORDS}
            )
        too_long = [w for w in words if len(w) > MAX_KEYWORD_CHARS]
        if too_long:
            raise ValidationError(
                _("Keywords are at most %(max)d characters long: %(word)s"),
                params={"max": MAX_KEYWORD_CHARS, "word": too_long[0]},
            )
        return words

    def profile_data(self) -> ProfileData:
        d = self.cleaned_data
        return ProfileData(
            kind=d["kind"],
            language=d["language"],
            title=d["title"].strip(),
            summary=d["summary"].strip(),
            description=d["description"].strip(),
            advantages=d.get("advantages", "").strip(),
            technical_specification=d.get("technical_specification", "").strip(),
            development_stage=d["development_stage"],
            ipr_status=d["ipr_status"],
            sectors=tuple(d["sectors"]),
            keywords=tuple(d["keywords"]),
            partnership_types=tuple(d.get("partnership_types", ())),
            target_countries=tuple(d.get("target_countries", ())),
            interest_open=bool(d.get("interest_open")),
            anonymous=bool(d.get("anonymous")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needed = ("kind", "language", "title", "summary", "description")
        if not self.errors and all(cleaned.get(n) for n in needed):
            try:
                check_profile_language(self.profile_data())
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=500)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *ProfileKind.choices]
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any country")), *Country.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    stage = forms.ChoiceField(
        label=_("Development stage"),
        required=False,
        choices=[("", _("Any stage")), *DevelopmentStage.choices],
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        required=False,
        choices=[("", _("Any language")), *ContentLanguage.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Any sector")))]
        for sector in Sector.objects.order_by("code"):
            prefix = "— " if sector.parent_id else ""
            choices.append((sector.code, prefix + sector.display_name()))
        field = self.fields["sector"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("The owner sees this reason and can correct the profile."),
    )


class MatchStatusForm(forms.Form):
    side = forms.ChoiceField(choices=[("offer", "offer"), ("request", "request")])
    status = forms.ChoiceField(choices=MatchStatus.choices)
