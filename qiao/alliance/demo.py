"""Sample alliance for the demo: 153 members in the composition the alliance reports (5 Russian
institutions, 2 Chinese undergraduate universities, 83 higher-vocational and 48
secondary-vocational colleges, 15 enterprises and research bodies, from 22 Chinese provinces),
40 prospective members and a few open applications. Every generated name says it is a sample;
no real organisation is made a member. Idempotent: rows are keyed and updated in place."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qiao.alliance import regions, services
from qiao.alliance.models import (
    Membership,
    MembershipApplication,
    MembershipStatus,
    ProspectStage,
    Specialty,
)
from qiao.organizations.models import Country, Organization, OrganizationKind

SPECIALTIES = (
    ("mechatronics", "机电一体化技术", "Мехатроника", "Mechatronics"),
    (
        "new-energy-vehicles",
        "新能源汽车技术",
        "Электромобили и гибридные автомобили",
        "New-energy vehicles",
    ),
    (
        "rail-transport",
        "铁道交通运营管理",
        "Железнодорожный транспорт",
        "Rail transport operations",
    ),
    ("logistics", "现代物流管理", "Логистика", "Logistics management"),
    (
        "cross-border-ecommerce",
        "跨境电子商务",
        "Трансграничная электронная торговля",
        "Cross-border e-commerce",
    ),
    ("tourism", "旅游管理", "Туризм и гостеприимство", "Tourism and hospitality"),
    ("food-processing", "食品加工技术", "Технология пищевых производств", "Food processing"),
    ("modern-agriculture", "现代农业技术", "Современные агротехнологии", "Modern agriculture"),
    ("welding", "智能焊接技术", "Сварочное производство", "Welding technology"),
    ("software", "软件技术", "Программирование и информационные системы", "Software technology"),
    ("chinese-language", "应用汉语", "Китайский язык", "Chinese language"),
    ("russian-language", "应用俄语", "Русский язык", "Russian language"),
    ("nursing", "护理", "Сестринское дело", "Nursing"),
    ("construction", "建筑工程技术", "Строительство", "Construction engineering"),
    ("oil-gas", "石油工程技术", "Нефтегазовое дело", "Oil and gas engineering"),
)

# 22 provinces; the weights put most members in Heilongjiang and the north-east.
PROVINCES = (
    ("CN-HL", 34),
    ("CN-JL", 10),
    ("CN-LN", 10),
    ("CN-NM", 6),
    ("CN-BJ", 5),
    ("CN-TJ", 4),
    ("CN-HE", 5),
    ("CN-SD", 7),
    ("CN-HA", 5),
    ("CN-SH", 3),
    ("CN-JS", 6),
    ("CN-ZJ", 5),
    ("CN-AH", 4),
    ("CN-FJ", 3),
    ("CN-HB", 5),
    ("CN-HN", 4),
    ("CN-GD", 5),
    ("CN-GX", 3),
    ("CN-CQ", 4),
    ("CN-SC", 5),
    ("CN-SN", 4),
    ("CN-XJ", 4),
)

# Sample organisations of the main demo data that join the sample alliance.
EXISTING_MEMBERS = (
    ("hit-sample", "CN-HL"),
    ("hlj-agri-sample", "CN-HL"),
    ("harbin-med-sample", "CN-HL"),
    ("harbin-ict-sample", "CN-HL"),
    ("daqing-oil-sample", "CN-HL"),
    ("khabarovsk-wood-sample", "RU-KHA"),
    ("tomsk-energy-sample", "RU-TOM"),
)

_NAMES = {
    OrganizationKind.UNIVERSITY: (
        "{zh}示例大学{n}（示例）",
        "Образцовый университет № {n}, {ru} (пример)",
        "{en} Sample University {n} (sample)",
    ),
    OrganizationKind.HIGHER_VOCATIONAL: (
        "{zh}示例职业技术学院{n}（示例）",
        "Образцовый колледж высшего профессионального образования № {n}, {ru} (пример)",
        "{en} Sample Vocational and Technical College {n} (sample)",
    ),
    OrganizationKind.SECONDARY_VOCATIONAL: (
        "{zh}示例中等职业学校{n}（示例）",
        "Образцовое учреждение СПО № {n}, {ru} (пример)",
        "{en} Sample Secondary Vocational School {n} (sample)",
    ),
    OrganizationKind.ENTERPRISE: (
        "{zh}示例装备制造有限公司{n}（示例）",
        "Образцовое предприятие № {n}, {ru} (пример)",
        "{en} Sample Equipment Co. {n} (sample)",
    ),
    OrganizationKind.RESEARCH_INSTITUTE: (
        "{zh}示例职业教育研究所{n}（示例）",
        "Образцовый НИИ профессионального образования № {n}, {ru} (пример)",
        "{en} Sample Institute of Vocational Education {n} (sample)",
    ),
}

_DESCRIPTIONS = {
    "zh": "示例数据：该单位开展{specialty}等专业的人才培养，与俄罗斯院校合作开展联合招生、"
    "跨境实习和“中文+职业技能”培训。",
    "ru": "Пример: организация готовит специалистов по направлению «{specialty}» и развивает "
    "с китайскими партнёрами совместный набор, стажировки и обмен преподавателями.",
}

SAMPLE_PDF = b"%PDF-1.4\n% sample document for the Qiao demo\n%%EOF\n"


def load_specialties() -> list[Specialty]:
    specialties = []
    for code, zh, ru, en in SPECIALTIES:
        specialty, _ = Specialty.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_ru": ru, "name_en": en}
        )
        specialties.append(specialty)
    return specialties


def _org(key: str, kind: str, region_code: str, n: int, specialty: Specialty) -> Organization:
    region = regions.BY_CODE[region_code]
    zh, ru, en = (
        t.format(zh=region.zh.rstrip("省市"), ru=region.ru, en=region.en, n=n)
        for t in _NAMES[OrganizationKind(kind)]
    )
    language = "ru" if region.country == "RU" else "zh"
    organization, _ = Organization.objects.update_or_create(
        key=key,
        defaults={
            "name_zh": zh,
            "name_ru": ru,
            "name_en": en,
            "kind": kind,
            "country": region.country,
            "region": region.zh if language == "zh" else region.ru,
            "description": _DESCRIPTIONS[language].format(
                specialty=specialty.name_zh if language == "zh" else specialty.name_ru
            ),
            "description_language": language,
            "is_sample": True,
        },
    )
    return organization


def _plan() -> list[tuple[str, str, str]]:
    """(key, kind, region) of each generated member, spread over the weighted provinces."""
    slots = [code for code, weight in PROVINCES for _ in range(weight)]
    cn_kinds = (
        [OrganizationKind.UNIVERSITY] * 1
        + [OrganizationKind.HIGHER_VOCATIONAL] * 83
        + [OrganizationKind.SECONDARY_VOCATIONAL] * 48
        + [OrganizationKind.ENTERPRISE] * 7
        + [OrganizationKind.RESEARCH_INSTITUTE] * 4
    )
    # Interleave so that every province gets several kinds of member.
    plan = []
    for i, kind in enumerate(cn_kinds):
        region = slots[(i * 37) % len(slots)] if i >= len(PROVINCES) else PROVINCES[i][0]
        plan.append((f"alliance-{kind.replace('_', '-')}-{i + 1:03d}-sample", str(kind), region))
    ru = (
        (OrganizationKind.UNIVERSITY, "RU-AMU"),
        (OrganizationKind.SECONDARY_VOCATIONAL, "RU-PRI"),
        (OrganizationKind.SECONDARY_VOCATIONAL, "RU-ZAB"),
    )
    for i, (kind, region) in enumerate(ru):
        plan.append((f"alliance-ru-{i + 1:03d}-sample", str(kind), region))
    return plan


def _member(
    organization: Organization, region: str, specialties: list[Specialty], n: int
) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        organization=organization,
        defaults={
            "status": MembershipStatus.MEMBER,
            "stage": "",
            "region": region,
            "joined_on": date(2025, 6, 20),
            "contact_name": f"Sample contact {n}",
            "contact_email": f"member{n}@sample.qiao.example",
            "is_sample": True,
        },
    )
    membership.specialties.set(
        [specialties[n % len(specialties)], specialties[(n * 7 + 3) % len(specialties)]]
    )
    return membership


_PROSPECT_REGIONS = ("CN-HL", "CN-JL", "CN-LN", "CN-SD", "CN-GD", "CN-YN", "CN-GS", "CN-HI")
_PROSPECT_KINDS = (
    OrganizationKind.HIGHER_VOCATIONAL,
    OrganizationKind.SECONDARY_VOCATIONAL,
    OrganizationKind.ENTERPRISE,
    OrganizationKind.HIGHER_VOCATIONAL,
    OrganizationKind.UNIVERSITY,
)
_RU_PROSPECT_REGIONS = ("RU-KHA", "RU-PRI", "RU-IRK", "RU-NVS", "RU-SA", "RU-YEV")
_STAGES = (
    ProspectStage.IDENTIFIED,
    ProspectStage.CONTACTED,
    ProspectStage.NEGOTIATING,
    ProspectStage.IDENTIFIED,
    ProspectStage.CONTACTED,
    ProspectStage.DECLINED,
)


def load_prospects(specialties: list[Specialty]) -> int:
    n = 0
    for i in range(40):
        russian = i % 4 == 3
        region = (
            _RU_PROSPECT_REGIONS[i % len(_RU_PROSPECT_REGIONS)]
            if russian
            else _PROSPECT_REGIONS[i % len(_PROSPECT_REGIONS)]
        )
        kind = OrganizationKind.SECONDARY_VOCATIONAL if russian else _PROSPECT_KINDS[i % 5]
        organization = _org(
            f"alliance-prospect-{i + 1:03d}-sample", kind, region, 200 + i, specialties[i % 15]
        )
        Membership.objects.update_or_create(
            organization=organization,
            defaults={
                "status": MembershipStatus.PROSPECTIVE,
                "stage": _STAGES[i % len(_STAGES)],
                "region": region,
                "joined_on": None,
                "is_sample": True,
            },
        )
        n += 1
    return n


def load_applications(specialties: list[Specialty]) -> int:
    """Three open sample applications for the secretariat's review queue (created once)."""
    if MembershipApplication.objects.filter(is_sample=True).exists():
        return 0
    samples = (
        services.ApplicationData(
            name_zh="牡丹江示例技师学院（示例）",
            name_ru="",
            name_en="Mudanjiang Sample Technician College (sample)",
            kind=OrganizationKind.HIGHER_VOCATIONAL,
            country=Country.CN,
            region="CN-HL",
            city="牡丹江",
            website="",
            description="示例数据：学院开设焊接、机电一体化专业，希望与俄罗斯院校开展学生交流。",
            description_language="zh",
            motivation="示例数据：可提供焊接实训基地，寻求俄方合作院校。",
            rep_name="王示例",
            rep_position="国际交流处处长",
            rep_email="applicant1@sample.qiao.example",
            rep_phone="+86 453 000 0000",
            language="zh-hans",
            specialties=(specialties[8], specialties[0]),
        ),
        services.ApplicationData(
            name_zh="",
            name_ru="Благовещенский образцовый технический колледж (пример)",
            name_en="Blagoveshchensk Sample Technical College (sample)",
            kind=OrganizationKind.SECONDARY_VOCATIONAL,
            country=Country.RU,
            region="RU-AMU",
            city="Благовещенск",
            website="",
            description="Пример: колледж готовит специалистов по логистике и туризму на границе "
            "с Хэйхэ.",
            description_language="ru",
            motivation="Пример: совместный набор студентов и стажировки в Хэйхэ.",
            rep_name="Анна Примерова",
            rep_position="заместитель директора",
            rep_email="applicant2@sample.qiao.example",
            rep_phone="",
            language="ru",
            specialties=(specialties[3], specialties[5]),
        ),
        services.ApplicationData(
            name_zh="",
            name_ru="",
            name_en="Harbin Sample Rail Equipment Co. (sample)",
            kind=OrganizationKind.ENTERPRISE,
            country=Country.CN,
            region="CN-HL",
            city="Harbin",
            website="",
            description="Sample data: an enterprise that offers internships in rail equipment "
            "maintenance to students of member colleges.",
            description_language="en",
            motivation="Sample data: internships and technical services for members.",
            rep_name="Li Sample",
            rep_position="HR manager",
            rep_email="applicant3@sample.qiao.example",
            rep_phone="",
            language="en",
            specialties=(specialties[2],),
        ),
    )
    for data in samples:
        upload = SimpleUploadedFile("registration.pdf", SAMPLE_PDF, "application/pdf")
        services.application_submit(
            data=data, uploads=[services.Upload(kind="registration", file=upload)], is_sample=True
        )
    return len(samples)


def load_alliance() -> dict[str, int]:
    with transaction.atomic():
        specialties = load_specialties()
        n = 0
        for key, region in EXISTING_MEMBERS:
            organization = Organization.objects.filter(key=key).first()
            if organization is not None:
                n += 1
                _member(organization, region, specialties, n)
        for key, kind, region in _plan():
            n += 1
            organization = _org(key, kind, region, n, specialties[n % len(specialties)])
            _member(organization, region, specialties, n)
        prospects = load_prospects(specialties)
        applications = load_applications(specialties)
    return {
        "specialties": len(specialties),
        "members": n,
        "prospects": prospects,
        "applications": applications,
    }
