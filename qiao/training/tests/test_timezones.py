"""Sessions are stored in UTC, entered and shown in the zone they are held in, and shown
again in the viewer's zone: Harbin (UTC+8) and Moscow (UTC+3) are 5 hours apart."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import ServiceError
from qiao.training import services
from qiao.training.models import Cohort, Module, Session, TimeZoneChoice
from qiao.training.selectors import session_times
from qiao.training.timezones import COOKIE

pytestmark = pytest.mark.django_db


def test_local_times_are_stored_in_utc() -> None:
    harbin = services.local_to_utc(date(2027, 7, 19), time(9), TimeZoneChoice.HARBIN)
    moscow = services.local_to_utc(date(2027, 7, 19), time(9), TimeZoneChoice.MOSCOW)
    assert harbin == datetime(2027, 7, 19, 1, 0, tzinfo=UTC)
    assert moscow == datetime(2027, 7, 19, 6, 0, tzinfo=UTC)
    assert (moscow - harbin).total_seconds() == 5 * 3600


def test_session_times_in_both_zones(harbin_session: Session) -> None:
    times = session_times(harbin_session, TimeZoneChoice.MOSCOW)
    assert (times.local_start, times.local_end) == ("2027-07-19 09:00", "2027-07-19 12:00")
    assert (times.viewer_start, times.viewer_end) == ("2027-07-19 04:00", "2027-07-19 07:00")
    assert not times.same_zone
    assert session_times(harbin_session, TimeZoneChoice.HARBIN).same_zone


def test_a_moscow_evening_is_the_next_day_in_harbin(
    secretariat: User, cohort: Cohort, modules: list[Module]
) -> None:
    session = services.session_create(
        actor=secretariat,
        cohort=cohort,
        module=modules[0],
        titles={"ru": "Вечерний вебинар"},
        day=date(2027, 7, 20),
        start=time(20),
        end=time(21, 30),
        time_zone=TimeZoneChoice.MOSCOW,
        online_link="https://meet.example.org/x",
    )
    assert session.starts_at == datetime(2027, 7, 20, 17, 0, tzinfo=UTC)
    times = session_times(session, TimeZoneChoice.HARBIN)
    assert (times.viewer_start, times.viewer_end) == ("2027-07-21 01:00", "2027-07-21 02:30")


def test_session_form_takes_the_sessions_own_clock(
    secretariat_client: Client, cohort: Cohort, modules: list[Module], lecturer: User
) -> None:
    response = secretariat_client.post(
        reverse("training:session-new", args=[cohort.pk]),
        {
            "module": modules[1].pk,
            "title_ru": "Стандарты",
            "day": "2027-07-20",
            "start": "10:00",
            "end": "12:00",
            "time_zone": "Europe/Moscow",
            "online_link": "https://meet.example.org/standards",
            "lecturers": [cohort.lecturers.get().pk],
        },
    )
    session = Session.objects.get(title_ru="Стандарты")
    assert response.status_code == 302
    assert session.starts_at == datetime(2027, 7, 20, 7, 0, tzinfo=UTC)
    assert [lec.user for lec in session.lecturers.all()] == [lecturer]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "12:00", "end": "10:00"}, "The end must come after the start."),
        ({"online_link": "", "place": ""}, "Give a place or an online link."),
        ({"title_ru": ""}, "Write the title in at least one language."),
    ],
)
def test_bad_session_input_is_refused_and_kept(
    secretariat_client: Client,
    cohort: Cohort,
    modules: list[Module],
    data: dict[str, str],
    message: str,
) -> None:
    form = {
        "module": modules[1].pk,
        "title_ru": "Стандарты",
        "day": "2027-07-20",
        "start": "10:00",
        "end": "12:00",
        "time_zone": "Europe/Moscow",
        "online_link": "https://meet.example.org/standards",
    } | data
    response = secretariat_client.post(reverse("training:session-new", args=[cohort.pk]), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].data["day"] == "2027-07-20"
    assert not Session.objects.exists()


def test_session_must_use_a_lecturer_of_its_cohort(
    secretariat: User, cohort: Cohort, modules: list[Module], lecturer: User, programme: object
) -> None:
    other = Cohort.objects.create(
        programme=cohort.programme,
        title_en="Second",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        place="Moscow",
        capacity=5,
    )
    with pytest.raises(ServiceError):
        services.session_create(
            actor=secretariat,
            cohort=other,
            module=modules[0],
            titles={"en": "x"},
            day=date(2027, 7, 20),
            start=time(10),
            end=time(11),
            time_zone=TimeZoneChoice.HARBIN,
            place="Harbin",
            lecturers=list(cohort.lecturers.all()),
        )


@pytest.mark.parametrize(
    ("client_fixture", "viewer_time"),
    [
        ("cn_rep_client", "2027-07-19 09:00–12:00"),  # Chinese UI → Harbin
        ("ru_rep_client", "2027-07-19 04:00–07:00"),  # Russian UI → Moscow
    ],
)
def test_viewer_zone_follows_the_language_by_default(
    request: pytest.FixtureRequest, client_fixture: str, viewer_time: str, harbin_session: Session
) -> None:
    client: Client = request.getfixturevalue(client_fixture)
    response = client.get(reverse("training:session", args=[harbin_session.pk]))
    body = response.content.decode()
    assert viewer_time in body
    assert "2027-07-19 09:00–12:00" in body  # local time where it is held, always


def test_viewer_chooses_a_zone(cn_rep_client: Client, harbin_session: Session) -> None:
    url = reverse("training:session", args=[harbin_session.pk])
    response = cn_rep_client.post(
        reverse("training:time-zone"), {"time_zone": "Europe/Moscow", "next": url}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert response.cookies[COOKIE].value == "Europe/Moscow"
    assert response_viewer(cn_rep_client, url) == "2027-07-19 04:00"


def test_time_zone_switch_rejects_unknown_zone_and_foreign_redirect(cn_rep_client: Client) -> None:
    response = cn_rep_client.post(
        reverse("training:time-zone"), {"time_zone": "Mars/Olympus", "next": "https://evil.example"}
    )
    assert response["Location"] == "/training/"
    assert COOKIE not in response.cookies


def response_viewer(client: Client, url: str) -> str:
    times = client.get(url).context["times"]
    return str(times.viewer_start)
