"""Sample governance records for the demo (all labelled as sample): charter version 1 and an
amendment, the council, the expert committee and two meetings with minutes and decisions.
Created once; the holders are fictional sample persons."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from qiao.governance.models import (
    CharterVersion,
    CouncilTerm,
    Decision,
    ExpertMember,
    GoverningMeeting,
    MinutesVersion,
)
from qiao.organizations.models import Organization

FOUNDED = date(2025, 6, 20)


def _member_orgs() -> list[Organization]:
    return list(
        Organization.objects.filter(membership__status="member", is_sample=True).order_by("id")[:12]
    )


def load_governance() -> bool:
    if CharterVersion.objects.filter(is_sample=True).exists():
        return False
    orgs = _member_orgs()

    def org(i: int) -> Organization | None:
        return orgs[i % len(orgs)] if orgs else None

    with transaction.atomic():
        CharterVersion.objects.create(
            version=1,
            text_zh="示例数据：第一条 本联盟名称为中俄职业教育联盟。第二条 联盟宗旨是推动联合招生、"
            "共建专业、跨境实习就业和“中文+职业技能”培训。",
            text_ru="Пример: Статья 1. Название — Российско-китайский альянс профессионального "
            "образования. Статья 2. Цели — совместный набор, совместные специальности, "
            "стажировки и трудоустройство, обучение «Китайский язык + профессиональные навыки».",
            text_en="Sample data: Article 1. The alliance is the China–Russia Vocational "
            "Education Alliance. Article 2. Its aims are joint recruitment, co-built "
            "specialties, cross-border internships and employment, and “Chinese + vocational "
            "skills” training.",
            vote_date=FOUNDED,
            votes_for=141,
            votes_against=0,
            votes_abstained=4,
            result="adopted",
            is_sample=True,
        )
        CharterVersion.objects.create(
            version=2,
            text_en="Sample data: amendment proposing an annual membership fee (not adopted).",
            vote_date=date(2026, 6, 18),
            votes_for=40,
            votes_against=95,
            votes_abstained=10,
            result="rejected",
            is_sample=True,
        )
        positions = [
            ("chair", "Sample Chair (sample)"),
            ("executive_chair", "Sample Executive Chair (sample)"),
            ("vice_chair", "Sample Vice-Chair A (sample)"),
            ("vice_chair", "Sample Vice-Chair B (sample)"),
            ("vice_chair", "Sample Vice-Chair C (sample)"),
            ("secretary_general", "Sample Secretary-General (sample)"),
        ]
        for i, (position, name) in enumerate(positions):
            CouncilTerm.objects.create(
                position=position,
                holder_name=name,
                organization=org(i),
                starts_on=FOUNDED,
                is_sample=True,
            )
        fields = [
            ("智能制造", "Интеллектуальное производство", "Smart manufacturing"),
            ("轨道交通", "Железнодорожный транспорт", "Rail transport"),
            ("国际中文教育", "Преподавание китайского языка", "Teaching Chinese"),
            ("现代农业", "Современное сельское хозяйство", "Modern agriculture"),
        ]
        for i, (zh, ru, en) in enumerate(fields):
            ExpertMember.objects.create(
                name=f"Sample Expert {i + 1} (sample)",
                organization=org(6 + i),
                field_zh=zh,
                field_ru=ru,
                field_en=en,
                starts_on=FOUNDED,
                is_sample=True,
            )
        assembly = GoverningMeeting.objects.create(
            kind="general_assembly",
            held_on=FOUNDED,
            venue="Harbin (sample)",
            title_zh="成立大会暨第一次会员大会（示例）",
            title_ru="Учредительное общее собрание (пример)",
            title_en="Founding general assembly (sample)",
            agenda_zh="1. 审议通过联盟章程\n2. 选举理事会\n3. 成立专家委员会",
            agenda_ru="1. Принятие устава\n2. Выборы совета\n3. Создание экспертного совета",
            agenda_en="1. Adopt the charter\n2. Elect the council\n3. Form the expert committee",
            is_sample=True,
        )
        MinutesVersion.objects.create(
            meeting=assembly,
            version=1,
            text_en="Sample data: draft minutes circulated to members.",
        )
        MinutesVersion.objects.create(
            meeting=assembly,
            version=2,
            text_zh="示例数据：会议审议通过了章程，选举产生了理事会，成立了专家委员会。",
            text_ru="Пример: собрание приняло устав, избрало совет и создало экспертный совет.",
            text_en="Sample data: the assembly adopted the charter, elected the council and "
            "formed the expert committee.",
        )
        for n, (zh, ru, en) in enumerate(
            [
                ("通过联盟章程。", "Принять устав альянса.", "Adopt the charter of the alliance."),
                ("选举理事会。", "Избрать совет.", "Elect the council."),
            ],
            start=1,
        ):
            Decision.objects.create(
                meeting=assembly,
                number=n,
                text_zh=zh,
                text_ru=ru,
                text_en=en,
                votes_for=141,
                votes_against=0,
                votes_abstained=4,
                result="adopted",
            )
    return True
