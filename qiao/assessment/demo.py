"""Sample assessment for the demo programme: a quiz for each of its three modules (a bank of six
trilingual questions, four drawn per attempt, 15 minutes, pass mark 75 %), the programme's
completion rules, and a pilot cohort held a month ago whose three sample students (Chinese,
Russian and English names) took the quizzes: two completed and hold certificates, one did not.
Loaded by `qiao demo` after the training programme. Idempotent."""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from qiao.accounts.models import User
from qiao.assessment import scoring, services
from qiao.assessment.models import (
    Certificate,
    CompletionRule,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizAttemptStatus,
)
from qiao.training.demo import TITLE_EN
from qiao.training.models import (
    ApplicationStatus,
    Attendance,
    Cohort,
    CurriculumArea,
    Enrolment,
    Lecturer,
    Session,
    TimeZoneChoice,
    TrainingProgramme,
)
from qiao.training.services import local_to_utc

PILOT_EN = "Pilot cohort (sample)"
# username, sessions attended (of 2), quizzes passed (of 3)
PILOT_TRAINEES = (("student.wang", 2, 3), ("student.ivanov", 2, 3), ("student.aliya", 1, 2))

S, M = QuestionKind.SINGLE, QuestionKind.MULTIPLE

# Per curriculum area: (kind, (zh, ru, en), [((zh, ru, en), correct?)...], explanation (zh, ru, en))
BANKS: dict[
    str,
    list[
        tuple[
            str, tuple[str, str, str], list[tuple[tuple[str, str, str], bool]], tuple[str, str, str]
        ]
    ],
] = {
    CurriculumArea.COOPERATION: [
        (
            S,
            (
                "（示例）产学研合作中，“产”指的是哪一方？",
                "(Пример) Кто в сотрудничестве бизнеса, вузов и науки представляет «бизнес»?",
                "(Sample) In industry–university–research cooperation, who is “industry”?",
            ),
            [
                (("企业", "Предприятия", "Enterprises"), True),
                (("高校", "Вузы", "Universities"), False),
                (("科研院所", "Научные институты", "Research institutes"), False),
            ],
            (
                "产 = 企业，学 = 高校，研 = 科研院所。",
                "Бизнес — предприятия, образование — вузы, наука — научные институты.",
                "Industry means enterprises; universities and institutes are the other two.",
            ),
        ),
        (
            M,
            (
                "（示例）哪些是中俄技术合作常见的合作方式？",
                "(Пример) Какие формы российско-китайского технологического "
                "сотрудничества распространены?",
                "(Sample) Which are common forms of China–Russia technology cooperation?",
            ),
            [
                (("联合研发", "Совместные НИОКР", "Joint R&D"), True),
                (("许可协议", "Лицензионный договор", "Licence agreement"), True),
                (("单方面公告", "Одностороннее объявление", "A one-sided announcement"), False),
                (("共建联合实验室", "Совместная лаборатория", "A joint laboratory"), True),
            ],
            (
                "联合研发、许可和联合实验室都是常见方式。",
                "НИОКР, лицензии и совместные лаборатории — типичные формы.",
                "Joint R&D, licensing and joint laboratories are all common.",
            ),
        ),
        (
            S,
            (
                "（示例）哈尔滨与莫斯科的时差是多少？",
                "(Пример) Какова разница во времени между Харбином и Москвой?",
                "(Sample) What is the time difference between Harbin and Moscow?",
            ),
            [
                (("5 小时", "5 часов", "5 hours"), True),
                (("3 小时", "3 часа", "3 hours"), False),
                (("8 小时", "8 часов", "8 hours"), False),
            ],
            (
                "哈尔滨 UTC+8，莫斯科 UTC+3。",
                "Харбин — UTC+8, Москва — UTC+3.",
                "Harbin is UTC+8, Moscow UTC+3.",
            ),
        ),
        (
            S,
            (
                "（示例）“技术经理人”的俄文是？",
                "(Пример) Как по-русски «技术经理人»?",
                "(Sample) How is “技术经理人” said in Russian?",
            ),
            [
                (
                    ("технологический брокер", "технологический брокер", "технологический брокер"),
                    True,
                ),
                (("главный бухгалтер", "главный бухгалтер", "главный бухгалтер"), False),
                (("патентный поверенный", "патентный поверенный", "патентный поверенный"), False),
            ],
            ("", "", "Технологический брокер (менеджер по трансферу технологий)."),
        ),
        (
            M,
            (
                "（示例）初次对接前，技术经理人应确认哪些信息？",
                "(Пример) Что технологический брокер проверяет до установления контакта?",
                "(Sample) What does a technology manager check before an introduction?",
            ),
            [
                (("双方的联系人", "Контактные лица сторон", "Both sides' contacts"), True),
                (("知识产权状态", "Статус ИС", "The IPR status"), True),
                (
                    ("对方的私人住址", "Домашний адрес партнёра", "The partner's home address"),
                    False,
                ),
            ],
            ("", "", "Contacts and IPR status, never private data that is not needed."),
        ),
        (
            S,
            (
                "（示例）中俄职业教育联盟的秘书处设在哪个城市？（本平台的示例设定）",
                "(Пример) Где находится секретариат альянса на этой платформе?",
                "(Sample) Where is the alliance secretariat based on this platform?",
            ),
            [
                (("哈尔滨", "Харбин", "Harbin"), True),
                (("哈巴罗夫斯克", "Хабаровск", "Khabarovsk"), False),
                (("北京", "Пекин", "Beijing"), False),
            ],
            ("", "", ""),
        ),
    ],
    CurriculumArea.STANDARDS: [
        (
            S,
            (
                "（示例）向对方披露技术细节之前通常先签署什么？",
                "(Пример) Что обычно подписывают до раскрытия технических деталей?",
                "(Sample) What is usually signed before technical details are disclosed?",
            ),
            [
                (("保密协议", "Соглашение о неразглашении", "A non-disclosure agreement"), True),
                (("许可协议", "Лицензионный договор", "A licence agreement"), False),
                (("框架合作协议", "Рамочное соглашение", "A framework agreement"), False),
            ],
            (
                "先签保密协议，再进入尽职调查。",
                "Сначала NDA, затем due diligence.",
                "First the NDA, then due diligence.",
            ),
        ),
        (
            M,
            (
                "（示例）哪些属于交易阶段？",
                "(Пример) Какие из этих этапов есть в сделке?",
                "(Sample) Which of these are stages of a deal?",
            ),
            [
                (("尽职调查", "Due diligence", "Due diligence"), True),
                (("谈判", "Переговоры", "Negotiation"), True),
                (("实施", "Реализация", "Implementation"), True),
                (("休假", "Отпуск", "Holiday"), False),
            ],
            (
                "",
                "",
                "Introduced → first contact → NDA → due diligence / negotiation → "
                "agreement → implementation.",
            ),
        ),
        (
            S,
            (
                "（示例）许可协议转让的是什么？",
                "(Пример) Что передаёт лицензионный договор?",
                "(Sample) What does a licence agreement transfer?",
            ),
            [
                (("使用权", "Право использования", "The right to use"), True),
                (("所有权", "Исключительное право целиком", "Ownership of the right"), False),
            ],
            (
                "转让所有权的是权利转让协议。",
                "Право целиком переходит при отчуждении исключительного права.",
                "Ownership passes with an assignment of rights, not a licence.",
            ),
        ),
        (
            S,
            (
                "（示例）“专利申请中”对应的知识产权状态是？",
                "(Пример) Какой статус ИС означает «заявка подана»?",
                "(Sample) Which IPR status means an application was filed?",
            ),
            [
                (("申请中", "Заявка подана", "Pending"), True),
                (("已授权", "Патент выдан", "Granted"), False),
            ],
            ("", "", ""),
        ),
        (
            M,
            (
                "（示例）服务规范要求交易记录哪些内容？",
                "(Пример) Что стандарт требует фиксировать по сделке?",
                "(Sample) What do the service standards require a deal to record?",
            ),
            [
                (
                    (
                        "每个阶段的必做步骤",
                        "Обязательные шаги каждого этапа",
                        "Required steps of each stage",
                    ),
                    True,
                ),
                (("截止日期", "Сроки", "Deadlines"), True),
                (("技术经理人的工资", "Зарплату брокера", "The broker's salary"), False),
            ],
            ("", "", ""),
        ),
        (
            S,
            (
                "（示例）交易成交后可以把它变成教学案例的前提是？",
                "(Пример) Когда выигранную сделку можно превратить в учебный кейс?",
                "(Sample) When may a won deal become a teaching case?",
            ),
            [
                (("双方都同意", "Обе стороны согласны", "Both parties consent"), True),
                (("任何一方同意", "Согласна одна сторона", "Either party consents"), False),
                (("无需同意", "Согласие не нужно", "No consent is needed"), False),
            ],
            ("", "", ""),
        ),
    ],
    CurriculumArea.SURVEYS: [
        (
            S,
            (
                "（示例）需求摸底调研的主要对象是？",
                "(Пример) Кого в первую очередь опрашивает исследование потребностей?",
                "(Sample) Who does an enterprise demand survey mainly ask?",
            ),
            [
                (("企业", "Предприятия", "Enterprises"), True),
                (("学生", "Студентов", "Students"), False),
                (("游客", "Туристов", "Tourists"), False),
            ],
            ("", "", ""),
        ),
        (
            M,
            (
                "（示例）一份好的问卷应当：",
                "(Пример) Хорошая анкета:",
                "(Sample) A good questionnaire:",
            ),
            [
                (
                    (
                        "问题简短明确",
                        "Задаёт короткие и ясные вопросы",
                        "Asks short, clear questions",
                    ),
                    True,
                ),
                (
                    (
                        "提供受访者的语言版本",
                        "Есть на языке респондента",
                        "Is in the respondent's language",
                    ),
                    True,
                ),
                (
                    ("一次问两个问题", "Спрашивает о двух вещах сразу", "Asks two things at once"),
                    False,
                ),
            ],
            ("", "", ""),
        ),
        (
            S,
            (
                "（示例）调研回复如何变成技术需求？",
                "(Пример) Как ответ на исследование превращается в технологический запрос?",
                "(Sample) How does a survey response become a technology request?",
            ),
            [
                (
                    (
                        "一键生成技术需求草稿",
                        "Одним нажатием — черновик запроса",
                        "In one click, as a draft request",
                    ),
                    True,
                ),
                (("自动发布", "Публикуется автоматически", "It is published automatically"), False),
            ],
            ("", "", "The draft is reviewed before it is published."),
        ),
        (
            S,
            (
                "（示例）企业回答问卷需要注册账号吗？",
                "(Пример) Нужна ли предприятию учётная запись, чтобы ответить?",
                "(Sample) Does an enterprise need an account to answer?",
            ),
            [
                (
                    (
                        "不需要，使用个人链接",
                        "Нет, по личной ссылке",
                        "No, it uses a personal link",
                    ),
                    True,
                ),
                (("需要", "Да", "Yes"), False),
            ],
            ("", "", ""),
        ),
        (
            M,
            (
                "（示例）调研结果可以按哪些维度统计？",
                "(Пример) В каких разрезах показываются результаты?",
                "(Sample) By what are survey results broken down?",
            ),
            [
                (("国家", "Страна", "Country"), True),
                (("地区", "Регион", "Region"), True),
                (("行业", "Отрасль", "Sector"), True),
                (("星座", "Знак зодиака", "Star sign"), False),
            ],
            ("", "", ""),
        ),
        (
            S,
            (
                "（示例）问卷发出后修改了题目，应该怎么做？",
                "(Пример) Что делать, если анкету нужно изменить после рассылки?",
                "(Sample) What if the questionnaire must change after it was sent?",
            ),
            [
                (("发布新版本", "Выпустить новую версию", "Publish a new version"), True),
                (("直接改旧版本", "Править старую версию", "Edit the old version in place"), False),
            ],
            ("", "", ""),
        ),
    ],
}


@transaction.atomic
def load_assessment() -> int:
    """Quizzes and completion rules for the demo programme; returns the number of questions."""
    programme = TrainingProgramme.objects.filter(title_en=TITLE_EN).first()
    if programme is None:
        return 0
    CompletionRule.objects.get_or_create(
        programme=programme,
        defaults={
            "min_attendance_percent": 75,
            "require_quizzes": True,
            "require_simulations": True,
            "min_simulation_score": 50,
        },
    )
    count = 0
    for module in programme.modules.all():
        quiz, created = Quiz.objects.get_or_create(
            module=module,
            defaults={
                "questions_per_attempt": 4,
                "time_limit_minutes": 15,
                "pass_mark": 75,
                "is_sample": True,
            },
        )
        if created:
            Question.objects.bulk_create(
                Question(
                    quiz=quiz,
                    kind=kind,
                    text_zh=text[0],
                    text_ru=text[1],
                    text_en=text[2],
                    options=[{"zh": o[0], "ru": o[1], "en": o[2]} for o, _right in options],
                    correct=[i for i, (_o, right) in enumerate(options) if right],
                    explanation_zh=explanation[0],
                    explanation_ru=explanation[1],
                    explanation_en=explanation[2],
                )
                for kind, text, options, explanation in BANKS[module.area]
            )
            quiz.published = True
            quiz.save(update_fields=["published"])
        count += quiz.questions.count()
    return count


def _attempt(enrolment: Enrolment, quiz: Quiz, passed: bool, seed: int) -> None:
    pool = list(quiz.questions.values_list("pk", flat=True))
    drawn = scoring.draw(pool, quiz.questions_per_attempt, seed)
    correct = dict(quiz.questions.values_list("pk", "correct"))
    # A pass answers every drawn question right; a fail gets only the first one right.
    answers = {str(qid): list(correct[qid]) for qid in (drawn if passed else drawn[:1])}
    right, percent = scoring.score(drawn, answers, correct)
    started = timezone.now() - timedelta(days=37)
    QuizAttempt.objects.create(
        quiz=quiz,
        enrolment=enrolment,
        seed=seed,
        question_ids=drawn,
        answers=answers,
        status=QuizAttemptStatus.SUBMITTED,
        started_at=started,
        deadline=started + timedelta(minutes=quiz.time_limit_minutes),
        saved_at=started + timedelta(minutes=9),
        submitted_at=started + timedelta(minutes=10),
        correct_count=right,
        score=percent,
        passed=percent >= quiz.pass_mark,
    )


@transaction.atomic
def load_pilot(*, secretariat: User) -> list[Certificate]:
    """A past cohort with results and certificates; returns its valid certificates."""
    programme = TrainingProgramme.objects.filter(title_en=TITLE_EN).first()
    if programme is None:
        return []
    existing = Cohort.objects.filter(programme=programme, title_en=PILOT_EN).first()
    if existing is not None:
        return list(Certificate.objects.filter(enrolment__cohort=existing, revoked_at__isnull=True))
    students = {
        u.username: u for u in User.objects.filter(username__in=[t[0] for t in PILOT_TRAINEES])
    }
    if len(students) < len(PILOT_TRAINEES):
        return []
    ends = timezone.localdate() - timedelta(days=33)
    starts = ends - timedelta(days=4)
    cohort = Cohort.objects.create(
        programme=programme,
        title_zh="试点班（示例）",
        title_ru="Пилотная группа (пример)",
        title_en=PILOT_EN,
        starts_on=starts,
        ends_on=ends,
        place="哈尔滨 · Харбин · Harbin",
        capacity=10,
        applications_open=False,
        is_sample=True,
    )
    lecturer = Lecturer.objects.filter(cohort__programme=programme).first()
    if lecturer is not None:
        Lecturer.objects.create(
            cohort=cohort, user=lecturer.user, organization=lecturer.organization
        )
    modules = list(programme.modules.all())
    sessions = [
        Session.objects.create(
            cohort=cohort,
            module=module,
            title_zh=f"{module.title_zh}（试点，示例）",
            title_ru=f"{module.title_ru} (пилот, пример)",
            title_en=f"{module.title_en} (pilot, sample)",
            starts_at=local_to_utc(starts + timedelta(days=i), time(9), TimeZoneChoice.HARBIN),
            ends_at=local_to_utc(starts + timedelta(days=i), time(12), TimeZoneChoice.HARBIN),
            time_zone=TimeZoneChoice.HARBIN,
            place="哈尔滨市技术市场 · 培训中心",
        )
        for i, module in enumerate(modules[:2])
    ]
    quizzes = list(Quiz.objects.filter(module__programme=programme).order_by("module__position"))
    rng = random.Random(2026)
    for username, attended, passed in PILOT_TRAINEES:
        enrolment = Enrolment.objects.create(
            cohort=cohort,
            user=students[username],
            status=ApplicationStatus.ACCEPTED,
            motivation="Sample application.",
            motivation_language="en",
        )
        Attendance.objects.bulk_create(
            Attendance(session=session, enrolment=enrolment, present=i < attended)
            for i, session in enumerate(sessions)
        )
        for i, quiz in enumerate(quizzes):
            _attempt(enrolment, quiz, i < passed, rng.randrange(2**62))
    return services.certificate_issue(actor=secretariat, cohort=cohort)
