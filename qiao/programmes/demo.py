"""Sample programmes for the demo (labelled as sample): co-built specialties and "Chinese +
vocational skills" degree, short and long training, led by sample member institutions."""

from __future__ import annotations

from django.db import transaction

from qiao.alliance.models import Specialty
from qiao.organizations.models import Organization
from qiao.programmes.models import Programme

PROGRAMMES = (
    # kind, level, zh, ru, en, description language, description, specialty, months, quota,
    # instruction languages, HSK, ТРКИ
    (
        "co_built",
        "higher_vocational",
        "中俄共建铁道交通运营管理专业（示例）",
        "Совместная специальность «Железнодорожный транспорт» (пример)",
        "Co-built specialty: rail transport operations (sample)",
        "zh",
        "示例数据：中俄院校共建专业，前两年在中国学习，第三年赴俄罗斯合作院校实习。",
        "rail-transport",
        36,
        30,
        ["zh", "ru"],
        None,
        3,
    ),
    (
        "chinese_plus_degree",
        "higher_vocational",
        "“中文+新能源汽车技术”学历教育（示例）",
        "«Китайский язык + электромобили»: программа с дипломом (пример)",
        "“Chinese + new-energy vehicles” degree programme (sample)",
        "ru",
        "Пример: трёхлетняя программа для российских выпускников колледжей с изучением "
        "китайского языка и технологий электромобилей.",
        "new-energy-vehicles",
        36,
        25,
        ["zh", "ru"],
        3,
        None,
    ),
    (
        "chinese_plus_short",
        "training",
        "“中文+焊接技术”短期培训（示例）",
        "Краткий курс «Китайский язык + сварка» (пример)",
        "“Chinese + welding” short course (sample)",
        "en",
        "Sample data: a three-month course in Harbin for welders from Russian partner colleges.",
        "welding",
        3,
        20,
        ["zh", "ru"],
        1,
        None,
    ),
    (
        "chinese_plus_long",
        "training",
        "“中文+跨境电商”长期培训（示例）",
        "Длительное обучение «Китайский язык + трансграничная торговля» (пример)",
        "“Chinese + cross-border e-commerce” long training (sample)",
        "zh",
        "示例数据：为期一年的跨境电商实训，面向俄罗斯学员。",
        "cross-border-ecommerce",
        12,
        15,
        ["zh"],
        2,
        None,
    ),
)


def load_programmes() -> int:
    if Programme.objects.filter(is_sample=True).exists():
        return 0
    cn = list(
        Organization.objects.filter(
            membership__status="member", country="CN", kind="higher_vocational", is_sample=True
        ).order_by("id")[:4]
    )
    ru = list(
        Organization.objects.filter(
            membership__status="member", country="RU", is_sample=True
        ).order_by("id")[:4]
    )
    if not cn or not ru:
        return 0
    with transaction.atomic():
        for i, row in enumerate(PROGRAMMES):
            kind, level, zh, ru_title, en, lang, text, code, months, quota, langs, hsk, torfl = row
            programme = Programme.objects.create(
                kind=kind,
                level=level,
                title_zh=zh,
                title_ru=ru_title,
                title_en=en,
                description=text,
                description_language=lang,
                specialty=Specialty.objects.filter(code=code).first(),
                lead=cn[i % len(cn)],
                instruction_languages=langs,
                duration_months=months,
                quota=quota,
                hsk_required=hsk,
                torfl_required=torfl,
                is_sample=True,
            )
            programme.partners.set([ru[i % len(ru)]])
    return len(PROGRAMMES)
