"""A sample demand-survey questionnaire for `qiao demo` (marked sample data)."""

from __future__ import annotations

from qiao.surveys.models import Question, Questionnaire, QuestionnaireVersion

OPTIONS = [
    {"zh": "技术许可", "ru": "Лицензия", "en": "Licence"},
    {"zh": "联合研发", "ru": "Совместные НИОКР", "en": "Joint R&D"},
    {"zh": "技术服务", "ru": "Технические услуги", "en": "Technical services"},
    {"zh": "人才培训", "ru": "Обучение персонала", "en": "Staff training"},
]

QUESTIONS = [
    (
        "text",
        "title",
        True,
        "您最需要解决的技术问题（一句话）",
        "Главная техническая задача (одной фразой)",
        "Your main technical need, in one sentence",
    ),
    (
        "text",
        "description",
        True,
        "请详细描述需求：现状、目标和限制条件",
        "Опишите потребность: текущее состояние, цель, ограничения",
        "Describe the need: current state, goal and constraints",
    ),
    ("sector", "sectors", True, "所属行业", "Отрасль", "Sector"),
    (
        "multiple",
        "",
        False,
        "可接受的合作方式",
        "Приемлемые формы сотрудничества",
        "Acceptable forms of cooperation",
    ),
    (
        "scale",
        "",
        False,
        "需求的紧迫程度",
        "Насколько срочна потребность",
        "How urgent is the need",
    ),
    (
        "number",
        "",
        False,
        "预计投入（万元人民币）",
        "Ориентировочный бюджет (10 тыс. юаней)",
        "Expected budget (10,000 CNY)",
    ),
    (
        "file",
        "",
        False,
        "相关图纸或技术资料（可选）",
        "Чертежи или техническая документация (по желанию)",
        "Drawings or technical documents (optional)",
    ),
]


def load_questionnaire() -> int:
    if Questionnaire.objects.filter(is_sample=True).exists():
        return 0
    questionnaire = Questionnaire.objects.create(
        title_zh="2026 年中俄企业技术需求摸底调研（示例）",
        title_ru="Исследование технологических потребностей предприятий 2026 (пример)",
        title_en="2026 enterprise technology demand survey (sample)",
        intro_zh="本问卷为演示数据。",
        intro_ru="Эта анкета — демонстрационные данные.",
        intro_en="This questionnaire is sample data.",
        is_sample=True,
    )
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    for position, (kind, maps_to, required, zh, ru, en) in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            version=version,
            position=position,
            kind=kind,
            maps_to=maps_to,
            required=required,
            text_zh=zh,
            text_ru=ru,
            text_en=en,
            options=OPTIONS if kind == "multiple" else [],
        )
    return 1
