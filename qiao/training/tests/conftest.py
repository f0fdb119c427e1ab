"""Training personas on top of the root ones: `lecturer` (teaches the past session for a
Russian university, UI ru), `other_lecturer` (same cohort, not that session), `trainee`
(accepted in the cohort, UI zh-hans) and `applicant` (applied, undecided). The root
`outsider` is signed in but has nothing to do with the cohort."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from qiao.accounts.models import UILanguage, User
from qiao.core.testing.factories import OrganizationFactory, UserFactory
from qiao.deals.models import ChecklistItem, DealStage
from qiao.organizations.models import Country, Organization, OrganizationKind
from qiao.search.testing import index_now
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Cohort,
    CurriculumArea,
    Enrolment,
    Lecturer,
    Material,
    Module,
    SandboxOffer,
    Session,
    TimeZoneChoice,
    TrainingProgramme,
)
from qiao.training.services import local_to_utc


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def programme(db: None) -> TrainingProgramme:
    return TrainingProgramme.objects.create(
        title_zh="中俄技术经理人实训",
        title_ru="Подготовка технологических брокеров",
        title_en="Technology-manager training",
        description_en="Cooperation, standards and surveys.",
    )


@pytest.fixture
def modules(programme: TrainingProgramme) -> list[Module]:
    return [
        Module.objects.create(programme=programme, area=area, title_en=str(label), position=i)
        for i, (area, label) in enumerate(CurriculumArea.choices)
    ]


@pytest.fixture
def cohort(programme: TrainingProgramme) -> Cohort:
    today = timezone.localdate()
    return Cohort.objects.create(
        programme=programme,
        title_en="First cohort",
        title_zh="第一期",
        title_ru="Первый поток",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=3),
        place="Harbin",
        capacity=2,
    )


@pytest.fixture
def university(db: None) -> Organization:
    return OrganizationFactory.create(country=Country.RU, kind=OrganizationKind.UNIVERSITY)


@pytest.fixture
def lecturer(cohort: Cohort, university: Organization) -> User:
    user = UserFactory.create(
        username="lecturer", organization=university, preferred_language=UILanguage.RU
    )
    Lecturer.objects.create(cohort=cohort, user=user, organization=university)
    return user


@pytest.fixture
def other_lecturer(cohort: Cohort, university: Organization) -> User:
    user = UserFactory.create(username="other_lecturer", organization=university)
    Lecturer.objects.create(cohort=cohort, user=user, organization=university)
    return user


@pytest.fixture
def trainee(cohort: Cohort) -> User:
    user = UserFactory.create(
        username="trainee", broker=True, preferred_language=UILanguage.ZH_HANS
    )
    Enrolment.objects.create(
        cohort=cohort,
        user=user,
        status=ApplicationStatus.ACCEPTED,
        motivation="我想学习技术转移。",
        motivation_language="zh",
    )
    return user


@pytest.fixture
def applicant(cohort: Cohort) -> User:
    user = UserFactory.create(username="applicant")
    Enrolment.objects.create(
        cohort=cohort, user=user, motivation="I broker deals.", motivation_language="en"
    )
    return user


@pytest.fixture
def past_session(cohort: Cohort, modules: list[Module], lecturer: User) -> Session:
    """Held yesterday in Moscow, online, with the `lecturer`."""
    day = timezone.localdate() - timedelta(days=1)
    session = Session.objects.create(
        cohort=cohort,
        module=modules[1],
        title_en="Service standards",
        title_ru="Стандарты услуг",
        starts_at=local_to_utc(day, time(10), TimeZoneChoice.MOSCOW),
        ends_at=local_to_utc(day, time(12), TimeZoneChoice.MOSCOW),
        time_zone=TimeZoneChoice.MOSCOW,
        online_link="https://meet.example.org/secret-room",
    )
    session.lecturers.set(Lecturer.objects.filter(user=lecturer))
    Material.objects.create(
        session=session, title="Slides", language="ru", url="https://example.org/slides.pdf"
    )
    return session


@pytest.fixture
def harbin_session(cohort: Cohort, modules: list[Module]) -> Session:
    """19 July 2027, 09:00–12:00 in Harbin = 01:00–04:00 UTC = 04:00–07:00 in Moscow."""
    return Session.objects.create(
        cohort=cohort,
        module=modules[0],
        title_en="Opening",
        title_zh="开班",
        starts_at=local_to_utc(date(2027, 7, 19), time(9), TimeZoneChoice.HARBIN),
        ends_at=local_to_utc(date(2027, 7, 19), time(12), TimeZoneChoice.HARBIN),
        time_zone=TimeZoneChoice.HARBIN,
        place="Harbin technology market",
    )


@pytest.fixture
def lecturer_client(lecturer: User) -> Client:
    return _client(lecturer)


@pytest.fixture
def other_lecturer_client(other_lecturer: User) -> Client:
    return _client(other_lecturer)


@pytest.fixture
def trainee_client(trainee: User) -> Client:
    return _client(trainee)


@pytest.fixture
def applicant_client(applicant: User) -> Client:
    return _client(applicant)


# --- practical simulation ------------------------------------------------------------------

POOL = (
    # language, organisation, title, summary, reference?
    (
        "zh",
        "哈尔滨焊接技术学院（虚构）",
        "激光熔覆修复轴类零件",
        "用激光熔覆工艺修复磨损的轴和齿轮，延长设备寿命，降低备件进口成本。",
        True,
    ),
    (
        "en",
        "Dalian Robotics Ltd (fictitious)",
        "Laser cladding robot cells for shaft repair",
        "Robotic laser cladding cells that restore worn shafts and rollers in heavy industry.",
        True,
    ),
    (
        "ru",
        "ООО «Сибирский мёд» (вымышленная)",
        "Технология переработки мёда",
        "Линия фасовки и пастеризации мёда для малых пасек.",
        False,
    ),
    (
        "zh",
        "长春乳业（虚构）",
        "奶酪发酵菌种",
        "适合寒冷地区的奶酪发酵菌种和工艺。",
        False,
    ),
)


@pytest.fixture
def checklist(db: None) -> list[ChecklistItem]:
    return [
        ChecklistItem.objects.create(
            stage=DealStage.INTRODUCED,
            label_zh="确认双方联系人",
            label_ru="Подтвердить контакты сторон",
            label_en="Confirm both contacts",
            required=True,
            position=1,
        ),
        ChecklistItem.objects.create(
            stage=DealStage.INTRODUCED,
            label_zh="发送平台介绍",
            label_ru="Отправить описание платформы",
            label_en="Send the platform brochure",
            required=False,
            position=2,
        ),
        ChecklistItem.objects.create(
            stage=DealStage.NDA,
            label_zh="签署保密协议",
            label_ru="Подписать NDA",
            label_en="Sign the NDA",
            required=True,
            position=1,
        ),
    ]


@pytest.fixture
def assignment(cohort: Cohort, checklist: list[ChecklistItem]) -> Assignment:
    now = timezone.now()
    assignment = Assignment.objects.create(
        cohort=cohort,
        title_en="Repairing shafts for a Far East plant",
        title_ru="Ремонт валов для дальневосточного завода",
        situation_ru="Машиностроительный завод в Хабаровске ищет технологию восстановления валов.",
        situation_en="A Khabarovsk machine-building plant needs a way to restore worn shafts.",
        partners_due=now + timedelta(days=3),
        deal_due=now + timedelta(days=10),
        published=True,
    )
    for language, org, title, summary, reference in POOL:
        SandboxOffer.objects.create(
            assignment=assignment,
            language=language,
            organization_name=org,
            title=title,
            summary=summary,
            is_reference=reference,
        )
    index_now("sandbox", [assignment.pk])
    return assignment


@pytest.fixture
def foreign_lecturer(programme: TrainingProgramme, university: Organization) -> User:
    """Lectures in another cohort of the programme, not in `cohort`."""
    today = timezone.localdate()
    second = Cohort.objects.create(
        programme=programme,
        title_en="Second cohort",
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=65),
        place="Moscow",
        capacity=10,
    )
    user = UserFactory.create(username="foreign_lecturer", organization=university)
    Lecturer.objects.create(cohort=second, user=user, organization=university)
    return user


@pytest.fixture
def foreign_lecturer_client(foreign_lecturer: User) -> Client:
    return _client(foreign_lecturer)
