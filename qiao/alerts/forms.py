from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.alerts.models import Frequency
from qiao.alerts.services import SearchData
from qiao.core.languages import ContentLanguage
from qiao.exchange.models import DevelopmentStage, ProfileKind, Sector
from qiao.organizations.models import Country


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    query = forms.CharField(
        label=_("Search"),
        max_length=500,
        required=False,
        help_text=_("In Chinese, Russian or English: profiles in all three languages are found."),
    )
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
    frequency = forms.ChoiceField(
        label=_("E-mail me new profiles"), choices=Frequency.choices, initial=Frequency.DAILY
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Any sector")))]
        for sector in Sector.objects.order_by("code"):
            choices.append(
                (sector.code, ("— " if sector.parent_id else "") + sector.display_name())
            )
        field = self.fields["sector"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def search_data(self) -> SearchData:
        d = self.cleaned_data
        return SearchData(
            name=d["name"],
            query=d["query"],
            kind=d["kind"],
            country=d["country"],
            sector=d["sector"],
            stage=d["stage"],
            language=d["language"],
            frequency=d["frequency"],
        )


class AlertSettingsForm(forms.Form):
    frequency = forms.ChoiceField(label=_("E-mail me new profiles"), choices=Frequency.choices)
    active = forms.BooleanField(label=_("Alerts on"), required=False)
