"""Sample introductions and deals for `qiao demo`: the default service-standard checklists and
a few deals spread over the pipeline. Everything is marked is_sample."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from qiao.deals import services
from qiao.deals.models import (
    STAGE_ORDER,
    ChecklistItem,
    Deal,
    DealStage,
    Interest,
    InterestStatus,
    Pass,
)
from qiao.exchange.models import Profile, ProfileStatus
from qiao.organizations.models import Organization

if TYPE_CHECKING:
    from qiao.accounts.models import User

CHECKLISTS = Path(__file__).resolve().parent.parent / "demo_data" / "deal_checklists.json"


@dataclass(frozen=True)
class SampleDeal:
    owner: str  # organisation key of the profile's owner
    partner: str
    language: str
    message: str
    stage: str  # "pending" leaves the expression of interest undecided


SAMPLE_DEALS = (
    SampleDeal(
        "hit-sample",
        "khabarovsk-wood-sample",
        "ru",
        "Мы хотели бы обсудить применение этой технологии на нашем деревообрабатывающем "
        "производстве в Хабаровске.",
        DealStage.NEGOTIATION,
    ),
    SampleDeal(
        "khabarovsk-wood-sample",
        "hit-sample",
        "zh",
        "我校希望就该技术开展联合研发，并在实训中心进行中试。",
        DealStage.NDA,
    ),
    SampleDeal(
        "amur-agro-sample",
        "hlj-agri-sample",
        "zh",
        "我们对该大豆加工技术很感兴趣，希望了解许可条件。",
        DealStage.IMPLEMENTATION,
    ),
    SampleDeal(
        "harbin-med-sample",
        "novosibirsk-med-sample",
        "ru",
        "Наш центр готов провести клинические испытания и обсудить лицензию для России.",
        DealStage.CLOSED_WON,
    ),
    SampleDeal(
        "daqing-oil-sample",
        "tomsk-energy-sample",
        "ru",
        "Интересует совместная отработка технологии на месторождениях Западной Сибири.",
        DealStage.FIRST_CONTACT,
    ),
    SampleDeal(
        "harbin-ict-sample",
        "almaty-logistics-sample",
        "en",
        "We run cross-border logistics from Almaty and would like to pilot this system.",
        "pending",
    ),
)


def load_checklists() -> int:
    """The default checklists, unless the secretariat has configured any steps already."""
    if ChecklistItem.objects.exists():
        return 0
    rows = json.loads(CHECKLISTS.read_text(encoding="utf-8"))
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            stage=row["stage"],
            label_zh=row["zh"],
            label_ru=row["ru"],
            label_en=row["en"],
            required=row["required"],
            position=index,
            is_sample=True,
        )
        for index, row in enumerate(rows)
    )
    return len(rows)


def _profile_of(organization: Organization) -> Profile | None:
    return (
        Profile.objects.filter(organization=organization, status=ProfileStatus.PUBLISHED)
        .order_by("kind", "id")
        .first()
    )


def _walk_to(deal: Deal, stage: str, actor: User) -> None:
    """Tick each stage's steps and move on, through the services, so the audit trail is real."""
    today = timezone.localdate()
    while deal.stage != stage:
        for item in ChecklistItem.objects.filter(stage=deal.stage, active=True):
            services.deal_set_step(actor=actor, deal=deal, item=item, done=True)
        if deal.stage == DealStage.AGREEMENT:
            services.deal_set_agreement(
                actor=actor,
                deal=deal,
                agreement_type="licence",
                value=Decimal("1200000.00"),
                currency="CNY",
                signed_on=today - timedelta(days=20),
            )
        following = STAGE_ORDER[STAGE_ORDER.index(deal.stage) + 1]
        services.deal_move(actor=actor, deal=deal, to_stage=following)


def load_deals(*, broker: User) -> int:
    if Interest.objects.filter(is_sample=True).exists():
        return 0
    organizations = {o.key: o for o in Organization.objects.filter(is_sample=True)}
    created = 0
    for spec in SAMPLE_DEALS:
        owner, partner = organizations.get(spec.owner), organizations.get(spec.partner)
        profile = _profile_of(owner) if owner else None
        if profile is None or partner is None:
            continue
        interest = Interest.objects.create(
            profile=profile,
            organization=partner,
            created_by=partner.representatives.first(),
            message=spec.message,
            language=spec.language,
            is_sample=True,
        )
        created += 1
        if spec.stage == "pending":
            continue
        interest.status = InterestStatus.APPROVED
        interest.decided_by = broker
        interest.decided_at = timezone.now()
        interest.save()
        deal = services.deal_open(actor=broker, interest=interest)
        deal.is_sample = True
        deal.save(update_fields=["is_sample"])
        _walk_to(deal, spec.stage, broker)
        if not deal.is_closed:
            services.deal_set_deadline(
                actor=broker, deal=deal, deadline=timezone.localdate() + timedelta(days=14)
            )
    # One structured pass, so the owner's page shows the reasons block.
    hit, almaty = organizations.get("hit-sample"), organizations.get("almaty-logistics-sample")
    profile = _profile_of(hit) if hit else None
    if profile is not None and almaty is not None:
        Pass.objects.get_or_create(
            profile=profile,
            organization=almaty,
            defaults={"reason": "not_our_field", "comment": "Sample: outside our logistics work."},
        )
    return created


def interests_pending() -> int:
    return Interest.objects.filter(is_sample=True, status=InterestStatus.PENDING).count()
