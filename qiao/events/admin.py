from django.contrib import admin

from qiao.events.models import AgendaItem, Event, Meeting, Registration, Speaker


class AgendaInline(admin.TabularInline[AgendaItem, Event]):
    model = AgendaItem
    extra = 0
    filter_horizontal = ["speakers"]


class SpeakerInline(admin.TabularInline[Speaker, Event]):
    model = Speaker
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["__str__", "kind", "starts_at", "capacity", "requires_approval", "is_sample"]
    list_filter = ["kind", "requires_approval", "is_sample"]
    inlines = [SpeakerInline, AgendaInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin[Registration]):
    list_display = ["user", "organization", "event", "status", "attended_at"]
    list_filter = ["status", "event"]
    # Status changes go through the event pages, which check capacity.
    readonly_fields = ["status"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["event", "slot_start", "requester", "invitee", "status"]
    list_filter = ["status", "event"]
    # Meetings change only through the services, which keep the slot seats in step.
    readonly_fields = ["event", "requester", "invitee", "slot_start", "status"]
