"""The deals world: cn_org's published Chinese offer, ru_org interested, broker deciding."""

from __future__ import annotations

import pytest

from qiao.accounts.models import User
from qiao.core.testing.factories import ProfileFactory
from qiao.deals import services
from qiao.deals.models import ChecklistItem, Deal, DealStage, Interest
from qiao.exchange.models import Profile
from qiao.organizations.models import Organization

RU_MESSAGE = "Наш колледж хотел бы внедрить эту технологию лазерной наплавки в учебный процесс."


@pytest.fixture
def offer(cn_org: Organization) -> Profile:
    return ProfileFactory.create(organization=cn_org, language="zh", published=True)


@pytest.fixture
def interest(offer: Profile, ru_rep: User, broker: User) -> Interest:
    return services.interest_express(actor=ru_rep, profile=offer, message=RU_MESSAGE)


@pytest.fixture
def deal(interest: Interest, broker: User) -> Deal:
    services.interest_decide(actor=broker, interest=interest, approve=True)
    return Deal.objects.get(interest=interest)


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
    ]
