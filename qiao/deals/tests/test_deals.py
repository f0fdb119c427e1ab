from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import UserFactory
from qiao.deals import services
from qiao.deals.models import ChecklistItem, Deal, DealDocument, DealEvent, DealStage


def ru_rep_email(deal: Deal) -> str:
    assert deal.interest.created_by is not None
    return deal.interest.created_by.email


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def test_required_steps_block_advancing(
    deal: Deal, broker: User, checklist: list[ChecklistItem]
) -> None:
    required = checklist[0]  # the optional checklist[1] stays open throughout
    with pytest.raises(ServiceError) as refused:
        services.deal_move(actor=broker, deal=deal, to_stage=DealStage.FIRST_CONTACT)
    assert required.label_en in str(refused.value)
    deal.refresh_from_db()
    assert deal.stage == DealStage.INTRODUCED
    services.deal_set_step(actor=broker, deal=deal, item=required, done=True)
    services.deal_move(actor=broker, deal=deal, to_stage=DealStage.FIRST_CONTACT)
    assert deal.stage == DealStage.FIRST_CONTACT
    kinds = list(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True))
    assert kinds == ["opened", "step", "stage"]


def test_closing_as_lost_is_always_possible(
    deal: Deal, broker: User, checklist: list[ChecklistItem]
) -> None:
    services.deal_move(actor=broker, deal=deal, to_stage=DealStage.CLOSED_LOST)
    assert deal.is_closed and deal.closed_at is not None
    with pytest.raises(ServiceError):
        services.deal_move(actor=broker, deal=deal, to_stage=DealStage.CLOSED_WON)


def test_stages_cannot_be_skipped(deal: Deal, broker: User) -> None:
    with pytest.raises(ValidationError):
        services.deal_move(actor=broker, deal=deal, to_stage=DealStage.AGREEMENT)
    deal.refresh_from_db()
    assert deal.stage == DealStage.INTRODUCED


def test_the_agreement_stage_needs_an_agreement(deal: Deal, broker: User) -> None:
    for stage in ("first_contact", "nda", "negotiation", "agreement"):
        services.deal_move(actor=broker, deal=deal, to_stage=stage)
    with pytest.raises(ServiceError):
        services.deal_move(actor=broker, deal=deal, to_stage=DealStage.IMPLEMENTATION)
    services.deal_set_agreement(
        actor=broker,
        deal=deal,
        agreement_type="licence",
        value=Decimal("1500000"),
        currency="CNY",
        signed_on=timezone.localdate(),
    )
    services.deal_move(actor=broker, deal=deal, to_stage=DealStage.IMPLEMENTATION)
    services.deal_move(actor=broker, deal=deal, to_stage=DealStage.CLOSED_WON)
    deal.refresh_from_db()
    assert deal.stage == "closed_won"
    assert (deal.agreement_value, deal.currency) == (Decimal("1500000"), "CNY")


def test_bad_agreement_writes_nothing(deal: Deal, broker: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.deal_set_agreement(
            actor=broker,
            deal=deal,
            agreement_type="barter",
            value=Decimal("-1"),
            currency="",
            signed_on=timezone.localdate() + timedelta(days=2),
        )
    assert set(error.value.message_dict) == {
        "agreement_type",
        "agreement_value",
        "currency",
        "agreement_signed_on",
    }
    deal.refresh_from_db()
    assert deal.agreement_type == "" and deal.agreement_value is None
    assert not DealEvent.objects.filter(kind="agreement").exists()


def test_deadline_in_the_past_is_refused(deal: Deal, broker: User) -> None:
    with pytest.raises(ValidationError):
        services.deal_set_deadline(
            actor=broker, deal=deal, deadline=timezone.localdate() - timedelta(days=1)
        )
    services.deal_set_deadline(
        actor=broker, deal=deal, deadline=timezone.localdate() + timedelta(days=7)
    )
    assert DealEvent.objects.filter(deal=deal, kind="deadline").count() == 1


@pytest.mark.parametrize("persona", ["cn_rep", "ru_rep", "outsider"])
def test_parties_cannot_run_the_pipeline(
    request: pytest.FixtureRequest, deal: Deal, checklist: list[ChecklistItem], persona: str
) -> None:
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        services.deal_set_step(actor=actor, deal=deal, item=checklist[0], done=True)
    with pytest.raises(NotAllowed):
        services.deal_move(actor=actor, deal=deal, to_stage="closed_lost")
    with pytest.raises(NotAllowed):
        services.deal_set_deadline(actor=actor, deal=deal, deadline=None)


def test_another_broker_cannot_run_the_pipeline(deal: Deal) -> None:
    with pytest.raises(NotAllowed):
        services.deal_move(actor=UserFactory.create(broker=True), deal=deal, to_stage="closed_lost")


def test_secretariat_runs_any_pipeline(deal: Deal, secretariat: User) -> None:
    services.deal_move(actor=secretariat, deal=deal, to_stage="first_contact")
    assert deal.stage == "first_contact"


def test_notes_by_parties_only(deal: Deal, ru_rep: User, outsider: User) -> None:
    services.deal_add_note(actor=ru_rep, deal=deal, text="Встреча в Харбине 12 мая.")
    with pytest.raises(NotAllowed):
        services.deal_add_note(actor=outsider, deal=deal, text="hi")
    with pytest.raises(ValidationError):
        services.deal_add_note(actor=ru_rep, deal=deal, text="  ")
    assert deal.notes.count() == 1


# --- documents -------------------------------------------------------------------------------


def test_document_is_stored_outside_static_and_media(
    deal: Deal, cn_rep: User, settings: Any
) -> None:
    upload = SimpleUploadedFile("协议草案.pdf", PDF, content_type="application/pdf")
    document = services.deal_add_document(actor=cn_rep, deal=deal, upload=upload)
    path = document.file.path
    assert path.startswith(str(settings.QIAO_PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert "协议草案" not in path  # the stored name is random
    assert document.name == "协议草案.pdf" and document.size == len(PDF)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"<html>not a pdf</html>"),
        ("empty.pdf", b""),
        ("binary.txt", b"\xff\xfe\x00\x81\x00" * 10),
    ],
)
def test_bad_documents_are_refused(deal: Deal, cn_rep: User, name: str, content: bytes) -> None:
    with pytest.raises(ValidationError):
        services.deal_add_document(
            actor=cn_rep, deal=deal, upload=SimpleUploadedFile(name, content)
        )
    assert not DealDocument.objects.exists()


def test_too_large_documents_are_refused(deal: Deal, cn_rep: User, settings: Any) -> None:
    settings.QIAO_DEAL_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.deal_add_document(actor=cn_rep, deal=deal, upload=SimpleUploadedFile("a.pdf", PDF))
    assert not DealDocument.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 404),
        ("cn_rep_client", 200),
        ("ru_rep_client", 200),
        ("broker_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_documents_download_only_for_parties(
    request: pytest.FixtureRequest, deal: Deal, cn_rep: User, persona: str, status: int
) -> None:
    document = services.deal_add_document(
        actor=cn_rep, deal=deal, upload=SimpleUploadedFile("draft.pdf", PDF)
    )
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("deals:download", args=[deal.pk, document.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]


def test_document_upload_view_reports_a_translated_error(deal: Deal, ru_rep_client: Client) -> None:
    response = ru_rep_client.post(
        reverse("deals:document", args=[deal.pk]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ")},
        follow=True,
    )
    assert "Допустимые типы файлов" in response.content.decode()
    assert not DealDocument.objects.exists()


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "manages"),
    [
        ("anon_client", 302, False),
        ("outsider_client", 404, False),
        ("cn_rep_client", 200, False),
        ("ru_rep_client", 200, False),
        ("broker_client", 200, True),
        ("secretariat_client", 200, True),
    ],
)
def test_deal_page(
    request: pytest.FixtureRequest,
    deal: Deal,
    checklist: list[ChecklistItem],
    persona: str,
    status: int,
    manages: bool,
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("deals:deal", args=[deal.pk]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert (reverse("deals:move", args=[deal.pk]) in html) is manages
        assert ru_rep_email(deal) in html  # contacts are released


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 404),
        ("cn_rep_client", 403),
        ("ru_rep_client", 403),
    ],
)
def test_deal_actions_refused_to_non_managers(
    request: pytest.FixtureRequest, deal: Deal, persona: str, status: int
) -> None:
    client: Client = request.getfixturevalue(persona)
    for name, data in (
        ("move", {"stage": "closed_lost"}),
        ("deadline", {"deadline": ""}),
        ("agreement", {"agreement_type": "licence"}),
    ):
        assert client.post(reverse(f"deals:{name}", args=[deal.pk]), data).status_code == status
    deal.refresh_from_db()
    assert deal.stage == "introduced" and deal.agreement_type == ""


def test_broker_moves_the_deal_through_the_page(
    deal: Deal, broker_client: Client, checklist: list[ChecklistItem]
) -> None:
    url = reverse("deals:move", args=[deal.pk])
    response = broker_client.post(url, {"stage": "first_contact"}, follow=True)
    assert "Complete the required steps of this stage first" in response.content.decode()
    broker_client.post(reverse("deals:step", args=[deal.pk, checklist[0].pk]), {"done": "on"})
    broker_client.post(url, {"stage": "first_contact"})
    deal.refresh_from_db()
    assert deal.stage == "first_contact"


def test_agreement_form_rejects_value_without_currency(deal: Deal, broker_client: Client) -> None:
    response = broker_client.post(
        reverse("deals:agreement", args=[deal.pk]),
        {"agreement_type": "licence", "agreement_value": "100"},
        follow=True,
    )
    assert "Please choose the currency of the value." in response.content.decode()
    deal.refresh_from_db()
    assert deal.agreement_type == ""


def test_board_shows_each_broker_their_deals(
    deal: Deal,
    broker_client: Client,
    secretariat_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    other = UserFactory.create(broker=True)
    other_client = Client()
    other_client.force_login(other)
    url = reverse("deals:board")
    link = reverse("deals:deal", args=[deal.pk])
    with django_assert_max_num_queries(8):
        assert link in broker_client.get(url).content.decode()
    assert link in secretariat_client.get(url).content.decode()
    assert link in secretariat_client.get(url, {"broker": str(deal.broker_id)}).content.decode()
    assert link not in secretariat_client.get(url, {"broker": other.pk}).content.decode()
    assert link not in other_client.get(url).content.decode()


def test_representatives_see_their_deals_as_a_list(
    deal: Deal, ru_rep_client: Client, outsider_client: Client, anon_client: Client
) -> None:
    url = reverse("deals:board")
    link = reverse("deals:deal", args=[deal.pk])
    assert link in ru_rep_client.get(url).content.decode()
    assert link not in outsider_client.get(url).content.decode()
    assert anon_client.get(url).status_code == 302


def test_history_names_stages_in_the_readers_language(deal: Deal, ru_rep_client: Client) -> None:
    html = ru_rep_client.get(reverse("deals:deal", args=[deal.pk])).content.decode()
    assert "<td>Контакт установлен</td>" in html
