"""Correcting governance records (a typo, a translation added, a miscounted vote): only the
secretariat corrects; the record shows the new values and every earlier value is kept with
who corrected it, when and why."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qiao.accounts.models import User
from qiao.alliance.models import Membership
from qiao.core.errors import NotAllowed, ServiceError
from qiao.governance import services
from qiao.governance.models import (
    CharterVersion,
    Correction,
    CouncilTerm,
    Decision,
    ExpertMember,
    GoverningMeeting,
)

pytestmark = pytest.mark.django_db

PERSONAS = [
    ("anon_client", 302),
    ("student_client", 403),
    ("cn_rep_client", 403),  # a representative of a non-member
    ("outsider_client", 403),
    ("ru_rep_client", 403),  # a member representative
    ("secretariat_client", 200),
]


def meeting_post(meeting: GoverningMeeting, **changes: str) -> dict[str, str]:
    return {
        "kind": meeting.kind,
        "held_on": meeting.held_on.isoformat(),
        "venue": meeting.venue,
        "title_zh": meeting.title_zh,
        "title_ru": meeting.title_ru,
        "title_en": meeting.title_en,
        "agenda_zh": meeting.agenda_zh,
        "agenda_ru": meeting.agenda_ru,
        "agenda_en": meeting.agenda_en,
        "reason": "Russian agenda added",
        **changes,
    }


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_correct_a_meeting_record(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    assembly: GoverningMeeting,
    ru_member: Membership,
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = reverse("governance:correct", args=["meeting", assembly.pk])
    assert client.get(url).status_code == status
    response = client.post(url, meeting_post(assembly, agenda_ru="1. Устав\n2. Выборы совета"))
    assembly.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert assembly.agenda_ru == "1. Устав\n2. Выборы совета"
        assert Correction.objects.count() == 1
    else:
        assert response.status_code == status
        assert assembly.agenda_ru == "" and not Correction.objects.exists()


def test_a_correction_keeps_the_earlier_values_and_shows_them_to_members(
    assembly: GoverningMeeting,
    secretariat: User,
    ru_member: Membership,
    secretariat_client: Client,
    ru_rep_client: Client,
) -> None:
    url = reverse("governance:correct", args=["meeting", assembly.pk])
    secretariat_client.post(url, meeting_post(assembly, title_en="First General Assembly"))
    secretariat_client.post(url, meeting_post(assembly, title_en="The first general assembly"))
    assembly.refresh_from_db()
    assert assembly.title_en == "The first general assembly"
    newest, oldest = Correction.objects.all()
    assert oldest.previous == {"title_en": "First general assembly"}
    assert newest.previous == {"title_en": "First General Assembly"}
    assert newest.recorded_by == secretariat and newest.reason == "Russian agenda added"
    ru_rep_client.cookies["django_language"] = "en"
    page = ru_rep_client.get(reverse("governance:meeting", args=[assembly.pk]))
    text = page.content.decode()
    assert "First General Assembly" in text and "First general assembly" in text
    assert "Corrected 2 times" in text


def test_a_correction_needs_a_reason_and_a_change(
    assembly: GoverningMeeting, secretariat: User, secretariat_client: Client
) -> None:
    url = reverse("governance:correct", args=["meeting", assembly.pk])
    response = secretariat_client.post(url, meeting_post(assembly, reason=""))
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = secretariat_client.post(url, meeting_post(assembly))
    assert response.status_code == 200
    assert "Nothing was changed" in str(response.context["form"].non_field_errors())
    assert not Correction.objects.exists()
    with pytest.raises(NotAllowed):
        services.record_correct(actor=User(), record=assembly, reason="x")


def test_a_miscounted_vote_is_corrected_and_must_still_agree(
    secretariat: User, assembly: GoverningMeeting, secretariat_client: Client
) -> None:
    decision = services.decision_add(
        actor=secretariat,
        decision=Decision(
            meeting=assembly, text_zh="通过章程。", votes_for=100, votes_against=2, result="adopted"
        ),
    )
    decision.votes_against = 200
    with pytest.raises(ValidationError):
        services.record_correct(actor=secretariat, record=decision, reason="Recount")
    decision.refresh_from_db()
    decision.votes_for, decision.text_ru = 98, "Устав принят."
    services.record_correct(actor=secretariat, record=decision, reason="Recount")
    decision.refresh_from_db()
    assert (decision.votes_for, decision.number) == (98, 1)
    correction = Correction.objects.get(kind="decision", record_id=decision.pk)
    assert correction.previous == {"text_ru": "", "votes_for": "100"}
    page = secretariat_client.get(reverse("governance:meeting", args=[assembly.pk]))
    assert page.context["decisions"] == [(decision, [correction])]


def test_charter_council_and_expert_records_are_corrected_with_history(
    secretariat: User, ru_member: Membership, anon_client: Client
) -> None:
    charter = services.charter_version_add(
        actor=secretariat,
        version=CharterVersion(
            text_zh="第一条 联盟名称为中俄职业教育联盟。",
            vote_date=date(2025, 6, 20),
            votes_for=120,
            result="adopted",
        ),
    )
    charter.text_ru = "Статья 1. Российско-китайский альянс профессионального образования."
    services.record_correct(actor=secretariat, record=charter, reason="Перевод добавлен")
    page = anon_client.get(reverse("governance:charter", args=[charter.version]))
    assert page.context["corrections"][0].previous == {"text_ru": ""}

    chair = services.council_appoint(
        actor=secretariat,
        term=CouncilTerm(position="chair", holder_name="Wang Wei", starts_on=date(2025, 6, 20)),
    )
    chair.holder_name = "Wang Wei (王伟)"
    services.record_correct(actor=secretariat, record=chair, reason="Name in Chinese")
    expert = services.expert_add(
        actor=secretariat,
        expert=ExpertMember(name="Ivan Petrov", field_en="Welding", starts_on=date(2025, 6, 20)),
    )
    expert.field_ru = "Сварка"
    services.record_correct(actor=secretariat, record=expert, reason="Translation")
    overview = anon_client.get(reverse("governance:overview")).context
    assert [c.previous for c in overview["council_corrections"]] == [{"holder_name": "Wang Wei"}]
    assert [c.previous for c in overview["expert_corrections"]] == [{"field_ru": ""}]
    # The term's end and the charter's number are not corrected this way.
    assert charter.version == 1 and chair.ends_on is None


def test_a_correction_cannot_break_the_terms_rules(secretariat: User) -> None:
    term = services.council_appoint(
        actor=secretariat,
        term=CouncilTerm(position="vice_chair", holder_name="A", starts_on=date(2025, 6, 20)),
    )
    services.council_term_end(actor=secretariat, term=term, ends_on=date(2025, 12, 31))
    term.refresh_from_db()
    term.starts_on = date(2026, 1, 10)  # after its own end
    with pytest.raises(ValidationError):
        services.record_correct(actor=secretariat, record=term, reason="Typo")
    assert not Correction.objects.exists()
    with pytest.raises(ServiceError):
        term.refresh_from_db()
        services.record_correct(actor=secretariat, record=term, reason="Nothing")


def test_line_ends_sent_by_a_browser_are_not_a_change(
    assembly: GoverningMeeting, secretariat_client: Client
) -> None:
    url = reverse("governance:correct", args=["meeting", assembly.pk])
    crlf = assembly.agenda_en.replace("\n", "\r\n")
    response = secretariat_client.post(
        url, meeting_post(assembly, agenda_en=crlf, title_ru="Первое общее собрание альянса")
    )
    assert response.status_code == 302
    assert Correction.objects.get().previous == {"title_ru": "Первое общее собрание"}
    assembly.refresh_from_db()
    assert assembly.agenda_en == "1. Charter\n2. Council elections"


def test_the_correction_form_shows_the_dates_in_any_language(
    assembly: GoverningMeeting, secretariat_client: Client
) -> None:
    secretariat_client.cookies["django_language"] = "ru"
    page = secretariat_client.get(reverse("governance:correct", args=["meeting", assembly.pk]))
    assert 'value="2025-06-20"' in page.content.decode()  # what <input type="date"> reads


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "5 Mar 2026"), ("ru", "05.03.2026"), ("zh-hans", "2026年3月5日")]
)
def test_an_earlier_date_is_shown_in_the_readers_format(language: str, shown: str) -> None:
    correction = Correction(kind="meeting", record_id=1, previous={"held_on": "2026-03-05"})
    with translation.override(language):
        assert correction.previous_values()[0][1] == shown
