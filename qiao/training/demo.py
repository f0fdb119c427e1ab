"""The technology-manager training programme for the demo: the first cohort opens on 19 July
in Harbin with lecturers from Tsinghua University, MIPT, Peter the Great St Petersburg
Polytechnic University and the Russian instrument-making and ICT alliance. The organisations are
the real partners; the lecturers, sessions and trainees are sample data. Idempotent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from qiao.accounts.models import Role, User
from qiao.deals.models import AgreementType, DealStage
from qiao.organizations.models import Organization
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Case,
    CaseText,
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

TITLE_EN = "China–Russia technology-manager training programme"

MODULES = (
    (
        CurriculumArea.COOPERATION,
        "中俄产学研合作",
        "Российско-китайское сотрудничество науки, образования и промышленности",
        "China–Russia industry–university–research cooperation",
    ),
    (
        CurriculumArea.STANDARDS,
        "技术转移服务规范",
        "Стандарты услуг по трансферу технологий",
        "Technology-transfer service standards",
    ),
    (
        CurriculumArea.SURVEYS,
        "技术需求调查方法",
        "Методы исследования технологического спроса",
        "Demand-survey methods",
    ),
)

# username, first name, last name, organisation key, UI language
LECTURERS = (
    ("lecturer.tsinghua", "伟", "张", "tsinghua-russia", "zh-hans"),
    ("lecturer.mipt", "Ирина", "Соколова", "mipt", "ru"),
    ("lecturer.spbpu", "Павел", "Орлов", "spbpu", "ru"),
    ("lecturer.alliance", "Ольга", "Кузнецова", "instrument-ict-alliance", "ru"),
)

# day offset, start, end, zone, area, lecturer index, zh, ru, en, place, online link
SESSIONS = (
    (
        0,
        "09:00",
        "12:00",
        TimeZoneChoice.HARBIN,
        0,
        0,
        "开班式与中俄产学研合作概览（示例）",
        "Открытие и обзор российско-китайского сотрудничества (пример)",
        "Opening and China–Russia cooperation overview (sample)",
        "哈尔滨市技术市场 · 培训中心",
        "",
    ),
    (
        1,
        "10:00",
        "12:00",
        TimeZoneChoice.MOSCOW,
        1,
        1,
        "技术转移服务规范与合同（示例）",
        "Стандарты услуг трансфера и договоры (пример)",
        "Transfer service standards and contracts (sample)",
        "",
        "https://meet.example.org/qiao-training-mipt",
    ),
    (
        2,
        "09:00",
        "12:00",
        TimeZoneChoice.HARBIN,
        1,
        2,
        "案例教学：联合实验室的知识产权（示例）",
        "Кейс: интеллектуальная собственность совместной лаборатории (пример)",
        "Case teaching: IP of a joint laboratory (sample)",
        "哈尔滨市技术市场 · 培训中心",
        "",
    ),
    (
        3,
        "10:00",
        "13:00",
        TimeZoneChoice.MOSCOW,
        2,
        3,
        "企业技术需求调查方法与实战模拟（示例）",
        "Методы исследования спроса предприятий и практическая симуляция (пример)",
        "Enterprise demand surveys and a practical simulation (sample)",
        "",
        "https://meet.example.org/qiao-training-alliance",
    ),
)


def next_opening(today: date) -> date:
    """The coming 19 July (this year's while it has not passed)."""
    opening = date(today.year, 7, 19)
    return opening if opening >= today else date(today.year + 1, 7, 19)


def _hm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@transaction.atomic
def load_training(*, password: str, trainees: list[User]) -> int:
    """Load the sample programme; returns the number of sessions."""
    if TrainingProgramme.objects.filter(title_en=TITLE_EN).exists():
        return Session.objects.filter(cohort__programme__title_en=TITLE_EN).count()
    programme = TrainingProgramme.objects.create(
        title_zh="中俄技术经理人实训项目",
        title_ru="Российско-китайская программа подготовки технологических брокеров",
        title_en=TITLE_EN,
        description_zh=(
            "示例数据：通过互动分享、案例教学和实战模拟，讲授中俄产学研合作、技术转移服务规范"
            "和技术需求调查方法，培养一支持证的中俄技术经理人队伍。"
        ),
        description_ru=(
            "Пример: интерактивные обсуждения, разбор кейсов и практическая симуляция — "
            "сотрудничество науки, образования и промышленности России и Китая, стандарты услуг "
            "трансфера технологий и методы исследования спроса; цель — сертифицированный корпус "
            "технологических брокеров."
        ),
        description_en=(
            "Sample data: interactive sharing, case teaching and practical simulation on "
            "China–Russia industry–university–research cooperation, technology-transfer service "
            "standards and demand-survey methods, building a certified corps of technology "
            "managers."
        ),
        is_sample=True,
    )
    modules = [
        Module.objects.create(
            programme=programme, area=area, title_zh=zh, title_ru=ru, title_en=en, position=i
        )
        for i, (area, zh, ru, en) in enumerate(MODULES)
    ]
    opening = next_opening(timezone.localdate())
    cohort = Cohort.objects.create(
        programme=programme,
        title_zh=f"{opening.year} 年第一期（示例）",
        title_ru=f"Первый поток {opening.year} года (пример)",
        title_en=f"First cohort {opening.year} (sample)",
        starts_on=opening,
        ends_on=opening + timedelta(days=4),
        place="哈尔滨 · Харбин · Harbin",
        capacity=30,
        is_sample=True,
    )
    organizations = {
        o.key: o for o in Organization.objects.filter(key__in=[r[3] for r in LECTURERS])
    }
    lecturers = []
    for username, first, last, key, language in LECTURERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.qiao.example",
                "role": Role.REPRESENTATIVE,
                "preferred_language": language,
            },
        )
        if created:
            user.set_password(password)
        user.first_name, user.last_name = first, last  # an older demo database gets the names too
        user.save()
        lecturers.append(
            Lecturer.objects.create(cohort=cohort, user=user, organization=organizations[key])
        )
    for offset, start, end, zone, area, who, zh, ru, en, place, link in SESSIONS:
        day = opening + timedelta(days=offset)
        session = Session.objects.create(
            cohort=cohort,
            module=modules[area],
            title_zh=zh,
            title_ru=ru,
            title_en=en,
            starts_at=local_to_utc(day, _hm(start), zone),
            ends_at=local_to_utc(day, _hm(end), zone),
            time_zone=zone,
            place=place,
            online_link=link,
        )
        session.lecturers.set([lecturers[who]])
        Material.objects.create(
            session=session,
            title=f"{en} — slides",
            language="en",
            url=f"https://example.org/qiao-training/session-{offset + 1}.pdf",
        )
    _load_case()
    _load_assignment(cohort)
    for user in trainees:
        Enrolment.objects.create(
            cohort=cohort,
            user=user,
            status=ApplicationStatus.ACCEPTED,
            motivation="Sample application.",
            motivation_language="en",
        )
    return len(SESSIONS)


CASE_TEXTS = (
    (
        "zh",
        "激光熔覆修复技术许可给俄罗斯机械厂（示例）",
        "示例数据：一所哈尔滨高职院校开发了激光熔覆修复轴类零件的工艺，"
        "一家俄罗斯远东机械厂希望降低备件进口成本。",
        "中方：高职院校（技术方）；俄方：机械制造企业（需求方）；技术经理人：哈尔滨。",
        "激光熔覆修复磨损轴类零件。",
        "双方对知识产权归属和设备认证标准理解不同；俄方要求俄语技术文件。",
        "签订非独占许可合同，中方派教师赴俄培训操作人员，六个月后投产。",
        "1. 为什么选择非独占许可？\n2. 技术经理人在哪个阶段发挥了关键作用？",
        "引导学员比较许可与技术转让；强调尽职调查清单中的认证步骤。",
    ),
    (
        "ru",
        "Лицензия на лазерную наплавку для российского машиностроительного завода (пример)",
        "Пример: харбинский колледж разработал технологию лазерной наплавки для ремонта валов; "
        "дальневосточный завод хотел сократить импорт запчастей.",
        "Китайская сторона: колледж (владелец технологии); российская: машиностроительный завод.",
        "Лазерная наплавка для восстановления изношенных валов.",
        "Разное понимание прав на ИС и стандартов сертификации оборудования; "
        "документация на русском.",
        "Неисключительная лицензия, обучение операторов в России, запуск через шесть месяцев.",
        "1. Почему неисключительная лицензия?\n2. На каком этапе брокер сыграл ключевую роль?",
        "Сравните лицензию и уступку; обратите внимание на шаг сертификации в чек-листе.",
    ),
    (
        "en",
        "Licensing laser cladding to a Russian machine-building plant (sample)",
        "Sample: a Harbin vocational college developed laser cladding to repair shafts; a Far "
        "East plant wanted to import fewer spare parts.",
        "Chinese side: a college (technology owner); Russian side: a machine-building plant.",
        "Laser cladding to restore worn shafts.",
        "Different views of IP ownership and equipment certification; documents needed in Russian.",
        "A non-exclusive licence, operators trained in Russia, production after six months.",
        "1. Why a non-exclusive licence?\n2. At which stage did the broker matter most?",
        "Compare a licence with an assignment; point to the certification step of the checklist.",
    ),
)


def _load_case() -> None:
    case = Case.objects.create(
        published=True,
        stage=DealStage.CLOSED_WON,
        agreement_type=AgreementType.LICENCE,
        lessons="licensing, certification, language",
        is_sample=True,
    )
    for (
        code,
        title,
        background,
        parties,
        technology,
        obstacles,
        outcome,
        questions,
        notes,
    ) in CASE_TEXTS:
        CaseText.objects.create(
            case=case,
            language=code,
            title=title,
            background=background,
            parties=parties,
            technology=technology,
            obstacles=obstacles,
            outcome=outcome,
            questions=questions,
            teaching_notes=notes,
        )


POOL = (
    # language, fictitious organisation, title, summary, in the reference solution
    (
        "zh",
        "哈尔滨焊接技术学院（示例）",
        "激光熔覆修复轴类零件（示例）",
        "用激光熔覆工艺修复磨损的轴和齿轮，延长设备寿命，降低备件进口成本。",
        True,
    ),
    (
        "en",
        "Dalian Robotics Ltd (sample)",
        "Laser cladding robot cells for shaft repair (sample)",
        "Robotic laser cladding cells that restore worn shafts and rollers in heavy industry.",
        True,
    ),
    (
        "ru",
        "ООО «Сибирский мёд» (пример)",
        "Технология переработки мёда (пример)",
        "Линия фасовки и пастеризации мёда для малых пасек.",
        False,
    ),
    ("zh", "长春乳业（示例）", "奶酪发酵菌种（示例）", "适合寒冷地区的奶酪发酵菌种和工艺。", False),
    (
        "ru",
        "Томский институт сварки (пример)",
        "Плазменная наплавка валов (пример)",
        "Плазменная наплавка для восстановления валов прокатных станов.",
        True,
    ),
)


def _load_assignment(cohort: Cohort) -> None:
    opening = datetime.combine(cohort.starts_on, time(9), tzinfo=ZoneInfo(TimeZoneChoice.HARBIN))
    assignment = Assignment.objects.create(
        cohort=cohort,
        module=cohort.programme.modules.filter(area=CurriculumArea.COOPERATION).first(),
        title_zh="为远东机械厂寻找轴类零件修复技术（示例）",
        title_ru="Технология восстановления валов для дальневосточного завода (пример)",
        title_en="Shaft-repair technology for a Far East plant (sample)",
        situation_zh="示例：哈巴罗夫斯克一家机械制造厂希望修复磨损的轴，减少进口备件。",
        situation_ru="Пример: машиностроительный завод в Хабаровске хочет восстанавливать "
        "изношенные валы и меньше закупать запчасти за рубежом.",
        situation_en="Sample: a Khabarovsk machine-building plant wants to restore worn shafts "
        "and import fewer spare parts.",
        partners_due=opening + timedelta(days=2),
        deal_due=opening + timedelta(days=4),
        published=True,
    )
    for language, organization, title, summary, reference in POOL:
        SandboxOffer.objects.create(
            assignment=assignment,
            language=language,
            organization_name=organization,
            title=title,
            summary=summary,
            is_reference=reference,
        )
