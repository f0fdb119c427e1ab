from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.forms import CheckboxGrid, IsoDateTimeInput
from qiao.events.models import AgendaItem, Event, Speaker
from qiao.organizations.models import Organization


class OrganizationChoiceField(forms.ModelChoiceField[Organization]):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.display_name()


def slot_label(slot: datetime) -> str:
    return formats.date_format(timezone.localtime(slot), "SHORT_DATETIME_FORMAT")


def slot_value(slot: datetime) -> str:
    return slot.astimezone(UTC).isoformat()


class MeetingRequestForm(forms.Form):
    invitee = OrganizationChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    # A select over the free slots; compared as instants, so any ISO offset is accepted.
    slot = forms.CharField(label=_("Time"), widget=forms.Select)
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you would like to discuss."),
    )

    def __init__(
        self,
        *args: Any,
        participants: list[Organization],
        slots: list[datetime],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        invitee = self.fields["invitee"]
        assert isinstance(invitee, OrganizationChoiceField)
        invitee.queryset = Organization.objects.filter(pk__in=[o.pk for o in participants])
        self.slots = slots
        self.fields["slot"].widget.choices = [(slot_value(s), slot_label(s)) for s in slots]

    def clean_slot(self) -> datetime:
        try:
            value = datetime.fromisoformat(self.cleaned_data["slot"])
        except ValueError:
            value = None
        if value is None or value.tzinfo is None or value not in self.slots:
            raise forms.ValidationError(_("Choose one of the free times."))
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


DATETIME = IsoDateTimeInput()


class EventForm(forms.ModelForm[Event]):
    organizer = OrganizationChoiceField(
        label=_("Organiser"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Its representatives may change the event, its agenda and speakers."),
    )

    class Meta:
        model = Event
        fields = [
            "kind", "title_zh", "title_ru", "title_en", "summary_zh", "summary_ru", "summary_en",
            "venue", "starts_at", "ends_at", "capacity", "requires_approval",
            "meetings_start", "meetings_end", "meeting_minutes", "organizer",
        ]  # fmt: skip
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "meetings_start": DATETIME,
            "meetings_end": DATETIME,
            "summary_zh": forms.Textarea(attrs={"rows": 3}),
            "summary_ru": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, names_organizer: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if names_organizer:  # the secretariat; an organiser cannot hand the event on
            members = Organization.objects.filter(membership__status="member").order_by("id")
            self.fields["organizer"].queryset = members  # type: ignore[attr-defined]
        else:
            del self.fields["organizer"]


class SpeakerForm(forms.ModelForm[Speaker]):
    class Meta:
        model = Speaker
        fields = ["name", "affiliation", "bio", "bio_language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 2})}


class AgendaItemForm(forms.ModelForm[AgendaItem]):
    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers"),
        queryset=Speaker.objects.none(),
        required=False,
        widget=CheckboxGrid(),
    )

    class Meta:
        model = AgendaItem
        fields = ["kind", "starts_at", "ends_at", "title_zh", "title_ru", "title_en"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["speakers"].queryset = event.speakers.all()  # type: ignore[attr-defined]


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the event cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Everyone registered receives it by e-mail in their language."),
    )
