"""Governance: public charter, council and committee; meeting records for members and the
secretariat; only the secretariat records, and every record is kept as history."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.alliance.models import Membership
from qiao.core.errors import NotAllowed, ServiceError
from qiao.governance import services
from qiao.governance.models import (
    CharterVersion,
    CouncilTerm,
    Decision,
    ExpertMember,
    GoverningMeeting,
    MinutesVersion,
)
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db

ROLES = [
    ("anon_client", False, False),
    ("student_client", False, False),
    ("cn_rep_client", False, False),  # a representative of a non-member
    ("broker_client", False, False),
    ("ru_rep_client", True, False),  # member representative
    ("secretariat_client", True, True),
]


def _charter(**overrides: object) -> CharterVersion:
    values: dict[str, object] = {
        "text_zh": "第一条 联盟名称为中俄职业教育联盟。",
        "text_ru": "Статья 1. Название альянса.",
        "vote_date": date(2025, 6, 20),
        "votes_for": 120,
        "votes_against": 3,
        "votes_abstained": 2,
        "result": "adopted",
    }
    values.update(overrides)
    return CharterVersion(**values)


@pytest.mark.parametrize(("persona", "sees_meetings", "records"), ROLES)
def test_who_sees_what(
    request: pytest.FixtureRequest,
    persona: str,
    sees_meetings: bool,
    records: bool,
    assembly: GoverningMeeting,
    ru_member: Membership,
    secretariat: User,
) -> None:
    services.charter_version_add(actor=secretariat, version=_charter())
    client: Client = request.getfixturevalue(persona)
    overview = client.get(reverse("governance:overview"))
    assert overview.status_code == 200
    assert (overview.context["meetings"] is not None) is sees_meetings
    assert client.get(reverse("governance:charter", args=[1])).status_code == 200
    meeting = client.get(reverse("governance:meeting", args=[assembly.pk]))
    expected = 200 if sees_meetings else (302 if persona == "anon_client" else 403)
    assert meeting.status_code == expected
    for url in (
        reverse("governance:charter-add"),
        reverse("governance:appoint"),
        reverse("governance:expert-add"),
        reverse("governance:meeting-add"),
        reverse("governance:minutes-add", args=[assembly.pk]),
        reverse("governance:decision-add", args=[assembly.pk]),
    ):
        status = client.get(url).status_code
        assert status == (200 if records else 302 if persona == "anon_client" else 403), url


def test_charter_versions_are_numbered_and_never_overwritten(
    secretariat_client: Client, secretariat: User
) -> None:
    services.charter_version_add(actor=secretariat, version=_charter())
    response = secretariat_client.post(
        reverse("governance:charter-add"),
        {
            "text_en": "Article 1, amended.",
            "vote_date": "2026-06-20",
            "votes_for": "90",
            "votes_against": "10",
            "votes_abstained": "0",
            "result": "adopted",
        },
    )
    assert response.status_code == 302
    assert list(CharterVersion.objects.values_list("version", "vote_date")) == [
        (2, date(2026, 6, 20)),
        (1, date(2025, 6, 20)),
    ]
    assert CharterVersion.objects.get(version=1).text_zh.startswith("第一条")
    overview = secretariat_client.get(reverse("governance:overview")).context["overview"]
    assert overview.charter.version == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text_en": ""}, None, "in at least one language"),
        ({"votes_for": "1", "votes_against": "5"}, "result", "more votes for than against"),
        ({"result": "rejected"}, "result", "the result is adopted"),
        ({"vote_date": "not a date"}, "vote_date", "valid date"),
        ({"votes_for": "-3"}, "votes_for", "greater than or equal to 0"),
    ],
)
def test_bad_charter_versions_are_refused_and_write_nothing(
    secretariat_client: Client, data: dict[str, str], field: str | None, message: str
) -> None:
    post = {
        "text_en": "Article 1.",
        "vote_date": "2026-06-20",
        "votes_for": "90",
        "votes_against": "10",
        "votes_abstained": "0",
        "result": "adopted",
        **data,
    }
    response = secretariat_client.post(reverse("governance:charter-add"), post)
    assert response.status_code == 200
    errors = response.context["form"].errors.get(field or "__all__", [])
    assert any(message in e for e in errors), response.context["form"].errors
    assert not CharterVersion.objects.exists()


def test_a_new_chair_closes_the_previous_term(secretariat: User, ru_org: Organization) -> None:
    first = services.council_appoint(
        actor=secretariat,
        term=CouncilTerm(
            position="chair", holder_name="Sample Chair A", starts_on=date(2025, 6, 20)
        ),
    )
    services.council_appoint(
        actor=secretariat,
        term=CouncilTerm(
            position="chair",
            holder_name="Sample Chair B",
            organization=ru_org,
            starts_on=date(2027, 6, 20),
        ),
    )
    first.refresh_from_db()
    assert first.ends_on == date(2027, 6, 20)
    assert CouncilTerm.objects.filter(position="chair", ends_on__isnull=True).get().holder_name == (
        "Sample Chair B"
    )
    # Several vice-chairs serve at once.
    for name in ("Vice A", "Vice B"):
        services.council_appoint(
            actor=secretariat,
            term=CouncilTerm(position="vice_chair", holder_name=name, starts_on=date(2025, 6, 20)),
        )
    assert CouncilTerm.objects.filter(position="vice_chair", ends_on__isnull=True).count() == 2
    with pytest.raises(ServiceError):
        services.council_appoint(
            actor=secretariat,
            term=CouncilTerm(position="chair", holder_name="Too early", starts_on=date(2020, 1, 1)),
        )


def test_minutes_and_decisions_keep_every_version(
    secretariat: User, secretariat_client: Client, assembly: GoverningMeeting
) -> None:
    for text in ("Draft minutes.", "Approved minutes."):
        secretariat_client.post(
            reverse("governance:minutes-add", args=[assembly.pk]), {"text_en": text}
        )
    assert list(MinutesVersion.objects.values_list("version", "text_en")) == [
        (2, "Approved minutes."),
        (1, "Draft minutes."),
    ]
    page = secretariat_client.get(reverse("governance:meeting", args=[assembly.pk]))
    assert "Approved minutes." in page.content.decode()
    assert "Draft minutes." in page.content.decode()  # earlier version still readable

    for text in ("Adopt the charter.", "Elect the council."):
        secretariat_client.post(
            reverse("governance:decision-add", args=[assembly.pk]),
            {
                "text_en": text,
                "votes_for": "100",
                "votes_against": "0",
                "votes_abstained": "1",
                "result": "adopted",
            },
        )
    assert list(Decision.objects.values_list("number", flat=True)) == [1, 2]


def test_terms_end_once_and_not_before_they_start(secretariat: User) -> None:
    expert = services.expert_add(
        actor=secretariat,
        expert=ExpertMember(name="Expert", field_en="Welding", starts_on=date(2025, 6, 20)),
    )
    with pytest.raises(ServiceError):
        services.expert_end(actor=secretariat, expert=expert, ends_on=date(2024, 1, 1))
    services.expert_end(actor=secretariat, expert=expert, ends_on=date(2026, 1, 1))
    with pytest.raises(ServiceError):
        services.expert_end(actor=secretariat, expert=expert, ends_on=date(2026, 2, 1))


@pytest.mark.parametrize("persona", ["broker", "ru_rep", "cn_rep"])
def test_services_refuse_everyone_but_the_secretariat(
    request: pytest.FixtureRequest, persona: str, assembly: GoverningMeeting, ru_member: Membership
) -> None:
    user: User = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        services.charter_version_add(actor=user, version=_charter())
    with pytest.raises(NotAllowed):
        services.meeting_create(actor=user, meeting=GoverningMeeting(kind="council"))
    with pytest.raises(NotAllowed):
        services.minutes_add(actor=user, minutes=MinutesVersion(meeting=assembly, text_en="x"))
    assert not CharterVersion.objects.exists() and not MinutesVersion.objects.exists()


def test_posting_as_a_member_records_nothing(
    ru_rep_client: Client, ru_member: Membership, assembly: GoverningMeeting
) -> None:
    response = ru_rep_client.post(
        reverse("governance:minutes-add", args=[assembly.pk]), {"text_en": "Forged"}
    )
    assert response.status_code == 403
    assert not MinutesVersion.objects.exists()


def test_the_missing_text_error_is_one_translated_sentence(secretariat_client: Client) -> None:
    secretariat_client.cookies["django_language"] = "zh-hans"
    response = secretariat_client.post(
        reverse("governance:charter-add"),
        {
            "vote_date": "2026-06-20",
            "votes_for": "9",
            "votes_against": "1",
            "votes_abstained": "0",
            "result": "adopted",
        },
    )
    assert response.context["form"].non_field_errors() == ["请至少用一种语言填写章程。"]
    assert not CharterVersion.objects.exists()


def test_overview_queries_do_not_grow(
    secretariat: User,
    secretariat_client: Client,
    ru_org: Organization,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(4):
        services.council_appoint(
            actor=secretariat,
            term=CouncilTerm(
                position="vice_chair",
                holder_name=f"V{n}",
                organization=ru_org,
                starts_on=date(2025, 6, 20),
            ),
        )
        services.expert_add(
            actor=secretariat,
            expert=ExpertMember(
                name=f"E{n}", organization=ru_org, field_en="IT", starts_on=date(2025, 6, 20)
            ),
        )
    with django_assert_max_num_queries(12):
        secretariat_client.get(reverse("governance:overview"))
