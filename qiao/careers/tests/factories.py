# factory_boy declarations are not annotated:
# mypy: allow-untyped-calls, allow-untyped-decorators
"""Factories for the careers app: valid rows with real sentences in their language."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyAttributeSequence, LazyFunction, SubFactory
from factory.django import DjangoModelFactory

from qiao.accounts.models import Role
from qiao.careers.models import Posting, PostingKind, PostingStatus, StudyLevel, TalentProfile
from qiao.core.testing.factories import OrganizationFactory, UserFactory
from qiao.organizations.models import Country, OrganizationKind

POSTING_TEXTS: dict[str, dict[str, Any]] = {
    "ru": {
        "title": "Стажировка сварщика на машиностроительном заводе ({n})",
        "description": "Завод приглашает студентов колледжей на стажировку в сварочный цех. "
        "Стажёры выполняют сварку металлоконструкций полуавтоматом, читают чертежи и "
        "работают под руководством наставника.",
        "requirements": "Знание основ сварки и чтения чертежей, аккуратность.",
        "specialty": "Сварочное производство",
        "skills": ["сварка", "чтение чертежей", "контроль качества"],
        "city": "Новосибирск",
    },
    "zh": {
        "title": "新能源汽车维修实习（{n}）",
        "description": "我公司招收职业院校学生到新能源汽车维修车间实习，学习动力电池检测和"
        "电机故障诊断，由经验丰富的师傅指导。",
        "requirements": "了解汽车电气基础知识，认真负责。",
        "specialty": "新能源汽车技术",
        "skills": ["动力电池检测", "故障诊断", "汽车电气"],
        "city": "哈尔滨",
    },
    "en": {
        "title": "Logistics data analyst internship ({n})",
        "description": "Our logistics company offers an internship in the analytics team. "
        "Interns prepare reports on freight volumes, clean data in spreadsheets and help "
        "plan routes between China, Kazakhstan and Russia.",
        "requirements": "Good spreadsheet skills and basic statistics.",
        "specialty": "Logistics and data analysis",
        "skills": ["Excel", "data analysis", "route planning"],
        "city": "Astana",
    },
}

PROFILE_TEXTS: dict[str, dict[str, Any]] = {
    "zh": {
        "headline": "焊接技术专业学生，寻求俄罗斯实习机会",
        "specialty": "焊接技术与自动化",
        "skills": ["焊接", "识图", "质量检验"],
        "experience": "在学校实训中心完成了钢结构焊接项目，熟悉二氧化碳气体保护焊，"
        "能够看懂机械图纸。",
    },
    "ru": {
        "headline": "Студент колледжа по специальности электромонтёр",
        "specialty": "Электромонтаж",
        "skills": ["электромонтаж", "диагностика неисправностей"],
        "experience": "Проходил практику на подстанции, собирал электрические щиты и искал "
        "неисправности в проводке.",
    },
    "en": {
        "headline": "Logistics graduate looking for a data analyst internship",
        "specialty": "Logistics management",
        "skills": ["Excel", "statistics", "route planning"],
        "experience": "I prepared weekly freight reports for a regional carrier and built "
        "spreadsheets to compare transport costs between routes.",
    },
}

COUNTRY = {"zh": Country.CN, "ru": Country.RU, "en": Country.KZ}


class PostingFactory(DjangoModelFactory[Posting]):
    """A valid draft internship written in `language` (default Russian) by a new enterprise of
    the matching country; `status=PostingStatus.PUBLISHED` for a published one."""

    class Meta:
        model = Posting

    kind = PostingKind.INTERNSHIP
    status = PostingStatus.DRAFT
    language = "ru"
    title = LazyAttributeSequence(lambda o, n: POSTING_TEXTS[o.language]["title"].format(n=n))
    description = LazyAttribute(lambda o: POSTING_TEXTS[o.language]["description"])
    requirements = LazyAttribute(lambda o: POSTING_TEXTS[o.language]["requirements"])
    specialty = LazyAttribute(lambda o: POSTING_TEXTS[o.language]["specialty"])
    skills = LazyAttribute(lambda o: list(POSTING_TEXTS[o.language]["skills"]))
    city = LazyAttribute(lambda o: POSTING_TEXTS[o.language]["city"])
    country = LazyAttribute(lambda o: COUNTRY[o.language])
    employer = SubFactory(
        OrganizationFactory,
        country=LazyAttribute(lambda o: COUNTRY[o.factory_parent.language]),
        kind=OrganizationKind.ENTERPRISE,
    )
    start_date = LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    end_date = LazyFunction(lambda: timezone.localdate() + timedelta(days=150))
    duration_months = 3
    places = 2
    closes_on = LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    published_at = LazyAttribute(
        lambda o: timezone.now() if o.status == PostingStatus.PUBLISHED else None
    )


class StudentFactory(UserFactory):
    """A student or graduate: the student role, no organisation."""

    role = Role.STUDENT
    organization: Any = None


class TalentProfileFactory(DjangoModelFactory[TalentProfile]):
    """A profile written in `language` (default Chinese) by a new student."""

    class Meta:
        model = TalentProfile

    user = SubFactory(StudentFactory)
    institution = SubFactory(
        OrganizationFactory, country=LazyAttribute(lambda o: COUNTRY[o.factory_parent.language])
    )
    language = "zh"
    headline = LazyAttribute(lambda o: PROFILE_TEXTS[o.language]["headline"])
    specialty = LazyAttribute(lambda o: PROFILE_TEXTS[o.language]["specialty"])
    study_level = StudyLevel.HIGHER_VOCATIONAL
    skills = LazyAttribute(lambda o: list(PROFILE_TEXTS[o.language]["skills"]))
    experience = LazyAttribute(lambda o: PROFILE_TEXTS[o.language]["experience"])
    chinese_level = 7
    russian_level = 3
    english_level = 2
    available_from: date | None = None
    available_to: date | None = None
