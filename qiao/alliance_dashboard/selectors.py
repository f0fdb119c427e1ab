"""Aggregates for the alliance dashboard: the membership's composition and the activity of
each chain. Counts only, no personal data; a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from qiao.alliance import selectors as alliance
from qiao.alliance.models import ApplicationStatus as MembershipStatus
from qiao.alliance.models import MembershipApplication
from qiao.events.models import Event, Meeting, MeetingStatus, Registration, RegistrationStatus
from qiao.exchange.models import Profile, ProfileStatus
from qiao.programmes.models import ApplicationStatus as StudentStatus
from qiao.programmes.models import Programme, StudentApplication
from qiao.resources.models import Resource


@dataclass(frozen=True)
class Row:
    label: str
    value: int


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Dashboard:
    composition: alliance.Composition
    tables: list[Table]


def _by_status(model: type, choices: type, field_name: str = "status") -> list[Row]:
    counts = dict(
        model.objects.values_list(field_name).annotate(n=Count("pk")).values_list(field_name, "n")  # type: ignore[attr-defined]
    )
    return [Row(str(choice.label), counts.get(choice.value, 0)) for choice in choices]  # type: ignore[attr-defined]


def dashboard() -> Dashboard:
    composition = alliance.composition()
    tables = [
        Table(
            "composition",
            _("Members by category"),
            [Row(f.label, f.count) for f in composition.categories],
        ),
        Table(
            "countries",
            _("Members by country"),
            [Row(f.label, f.count) for f in composition.countries],
        ),
        Table(
            "provinces",
            _("Members by province or region"),
            [Row(f.label, f.count) for f in composition.regions],
        ),
        Table(
            "membership",
            _("Membership applications"),
            _by_status(MembershipApplication, MembershipStatus),
        ),
        Table(
            "recruitment",
            _("Joint recruitment: student applications"),
            _by_status(StudentApplication, StudentStatus),
        ),
    ]
    profiles = Profile.objects.aggregate(
        offers=Count("pk", filter=Q(status=ProfileStatus.PUBLISHED, kind="offer")),
        requests=Count("pk", filter=Q(status=ProfileStatus.PUBLISHED, kind="request")),
    )
    resources = Resource.objects.aggregate(
        n=Count("pk"), co=Count("pk", filter=Q(co_developed=True)), downloads=Sum("download_count")
    )
    registrations = Registration.objects.aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.APPROVED)),
        attended=Count("pk", filter=Q(attended_at__isnull=False)),
    )
    tables.append(
        Table(
            "chains",
            _("Activity of each chain"),
            [
                Row(_("Programmes (co-built specialties and training)"), Programme.objects.count()),
                Row(
                    _("Placements (offers accepted by students)"),
                    StudentApplication.objects.filter(status=StudentStatus.ACCEPTED).count(),
                ),
                Row(_("Published technology offers"), profiles["offers"]),
                Row(_("Published technology requests"), profiles["requests"]),
                Row(_("Teaching resources"), resources["n"]),
                Row(_("Co-developed teaching resources"), resources["co"]),
                Row(_("Downloads of teaching resources"), resources["downloads"] or 0),
                Row(_("Events"), Event.objects.count()),
                Row(_("Event participants registered"), registrations["registered"]),
                Row(_("Event participants present"), registrations["attended"]),
                Row(
                    _("One-to-one meetings agreed"),
                    Meeting.objects.filter(status=MeetingStatus.ACCEPTED).count(),
                ),
            ],
        )
    )
    return Dashboard(composition=composition, tables=tables)
