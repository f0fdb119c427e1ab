"""A sample alliance event for the demo, modelled on the alliance's founding conference with
its seminar, keynotes and high-level dialogue, plus one-to-one meetings. Labelled as sample;
the demo representatives are registered so they can book meetings. Idempotent."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from qiao.accounts.models import User
from qiao.events.models import (
    AgendaItem,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
    Speaker,
)

HARBIN = ZoneInfo("Asia/Harbin")
TITLE_EN = "Founding conference of the China–Russia Vocational Education Alliance (sample)"

AGENDA = (
    (
        "09:00",
        "09:40",
        "ceremony",
        "开幕式（示例）",
        "Церемония открытия (пример)",
        "Opening ceremony (sample)",
        (),
    ),
    (
        "09:40",
        "10:40",
        "keynote",
        "主旨演讲：“中文+职业技能”人才培养（示例）",
        "Пленарный доклад: «Китайский язык + профессиональные навыки» (пример)",
        "Keynote: “Chinese + vocational skills” training (sample)",
        (0, 1),
    ),
    (
        "10:50",
        "12:00",
        "dialogue",
        "高层对话：联合招生与跨境实习（示例）",
        "Диалог на высоком уровне: совместный набор и зарубежные стажировки (пример)",
        "High-level dialogue: joint recruitment and cross-border internships (sample)",
        (1, 2),
    ),
    (
        "13:30",
        "14:30",
        "seminar",
        "研讨会：共建专业与教学资源（示例）",
        "Семинар: совместные специальности и учебно-методические ресурсы (пример)",
        "Seminar: co-built specialties and teaching resources (sample)",
        (2,),
    ),
    (
        "14:30",
        "17:00",
        "meetings",
        "一对一洽谈（示例）",
        "Встречи один на один (пример)",
        "One-to-one meetings (sample)",
        (),
    ),
)

SPEAKERS = (
    (
        "Sample Speaker A",
        "Sample vocational college (sample)",
        "zh",
        "示例数据：职业院校国际交流负责人。",
    ),
    (
        "Sample Speaker B",
        "Sample Russian college (sample)",
        "ru",
        "Пример: руководитель международного отдела колледжа.",
    ),
    (
        "Sample Speaker C",
        "Sample enterprise (sample)",
        "en",
        "Sample data: head of training at an enterprise.",
    ),
)


def _at(day: datetime, hhmm: str) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return day.replace(hour=hours, minute=minutes)


def load_event(users: list[User]) -> Event:
    today = timezone.localdate()
    day = datetime.combine(today + timedelta(days=60), time(0, 0), tzinfo=HARBIN)
    with transaction.atomic():
        event = Event.objects.filter(is_sample=True, title_en=TITLE_EN).first()
        if event is None:
            event = Event(is_sample=True, title_en=TITLE_EN)
        event.kind = EventKind.CONFERENCE
        event.title_zh = "中俄职业教育联盟成立大会（示例）"
        event.title_ru = (
            "Учредительная конференция Российско-китайского альянса "
            "профессионального образования (пример)"
        )
        event.summary_zh = (
            "示例数据：成立大会包括研讨会、主旨演讲、高层对话和成员单位之间的一对一洽谈。"
        )
        event.summary_ru = (
            "Пример: конференция включает семинар, пленарные доклады, диалог на высоком "
            "уровне и встречи участников один на один."
        )
        event.summary_en = (
            "Sample data: the conference has a seminar, keynotes, a high-level dialogue and "
            "one-to-one meetings between members."
        )
        event.venue = "Harbin (sample venue)"
        event.starts_at = _at(day, "09:00")
        event.ends_at = _at(day, "17:00")
        event.capacity = 300
        event.requires_approval = False
        event.meetings_start = _at(day, "14:30")
        event.meetings_end = _at(day, "17:00")
        event.meeting_minutes = 30
        event.save()
        if not event.speakers.exists():
            speakers = [
                Speaker.objects.create(
                    event=event, name=name, affiliation=affiliation, bio=bio, bio_language=lang
                )
                for name, affiliation, lang, bio in SPEAKERS
            ]
            for start, end, kind, zh, ru, en, who in AGENDA:
                item = AgendaItem.objects.create(
                    event=event,
                    kind=kind,
                    starts_at=_at(day, start),
                    ends_at=_at(day, end),
                    title_zh=zh,
                    title_ru=ru,
                    title_en=en,
                )
                item.speakers.set([speakers[i] for i in who])
        else:
            # Keep the agenda on the event's (moved) day.
            for item in event.agenda.all():
                item.starts_at = item.starts_at.astimezone(HARBIN).replace(
                    year=day.year, month=day.month, day=day.day
                )
                item.ends_at = item.ends_at.astimezone(HARBIN).replace(
                    year=day.year, month=day.month, day=day.day
                )
                item.save()
        for user in users:
            if user.organization_id is not None:
                Registration.objects.get_or_create(
                    event=event,
                    user=user,
                    defaults={
                        "organization_id": user.organization_id,
                        "status": RegistrationStatus.APPROVED,
                    },
                )
    return event
