from __future__ import annotations

import pytest

from qiao.accounts.models import User
from qiao.core.testing.factories import SectorFactory
from qiao.exchange.models import Sector
from qiao.organizations.models import Organization
from qiao.surveys.models import Invitation, Question, Questionnaire, QuestionnaireVersion

OPTIONS = [
    {"zh": "技术许可", "ru": "Лицензия", "en": "Licence"},
    {"zh": "联合研发", "ru": "Совместные НИОКР", "en": "Joint R&D"},
]


def _q(version: QuestionnaireVersion, position: int, kind: str, en: str, **kw: object) -> Question:
    return Question.objects.create(
        version=version,
        position=position,
        kind=kind,
        text_zh=f"问题{position}",
        text_ru=f"Вопрос {position}",
        text_en=en,
        **kw,
    )


@pytest.fixture
def sector(db: None) -> Sector:
    return SectorFactory.create(code="agri")


@pytest.fixture
def questionnaire(db: None, sector: Sector) -> Questionnaire:
    q = Questionnaire.objects.create(
        title_zh="企业技术需求调研", title_ru="Опрос о потребностях", title_en="Demand survey"
    )
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    _q(v, 1, "text", "What do you need, in one line?", maps_to="title")
    _q(v, 2, "text", "Describe the problem", maps_to="description", required=True)
    _q(v, 3, "choice", "Preferred cooperation", options=OPTIONS)
    _q(v, 4, "multiple", "Also acceptable", options=OPTIONS)
    _q(v, 5, "scale", "How urgent?")
    _q(v, 6, "number", "Budget (CNY)")
    _q(v, 7, "sector", "Sector", maps_to="sectors")
    _q(v, 8, "file", "Drawing or specification")
    return q


@pytest.fixture
def invitation(
    questionnaire: Questionnaire,
    secretariat: User,
    cn_rep: User,
    cn_org: Organization,
    broker: User,
) -> Invitation:
    from qiao.surveys import services

    version = questionnaire.versions.get()
    report = services.invitations_send(actor=secretariat, version=version, organizations=[cn_org])
    return report.sent[0]
