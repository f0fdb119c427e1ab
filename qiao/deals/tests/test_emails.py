"""Every e-mail of the workspace, rendered in each of the three languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from qiao.accounts.models import UILanguage, User
from qiao.deals import emails
from qiao.deals.models import Deal, Interest, InterestStatus

# (template, words that must appear in the subject for zh-hans, ru, en)
SUBJECTS = {
    "interest_received": (
        "新的合作意向",
        "Новое выражение заинтересованности",
        "New expression of interest",
    ),
    "introduction": ("对接已批准", "Установление контакта одобрено", "Introduction approved"),
    "interest_declined": ("合作意向被拒绝", "Выражение заинтересованности отклонено", "declined"),
    "deal_reminder": ("期限将至", "Срок приближается", "Deadline approaching"),
}
LANGUAGES = (UILanguage.ZH_HANS, UILanguage.RU, UILanguage.EN)
GREETING = {UILanguage.ZH_HANS: "您好", UILanguage.RU: "Здравствуйте", UILanguage.EN: "Hello"}


@pytest.fixture
def contexts(deal: Deal, cn_rep: User, ru_rep: User) -> dict[str, dict[str, object]]:
    interest = deal.interest
    declined = Interest(
        profile=interest.profile,
        organization=interest.organization,
        message=interest.message,
        language="ru",
        status=InterestStatus.DECLINED,
        decision_reason="Технология уже лицензирована.",
    )
    deal.deadline = timezone.localdate() + timedelta(days=2)
    return {
        "interest_received": {"interest": interest, "url": "https://q.example/interests/1/"},
        "introduction": {
            "interest": interest,
            "deal": deal,
            "owner_contacts": [cn_rep],
            "partner_contacts": [ru_rep],
            "url": "https://q.example/deals/1/",
        },
        "interest_declined": {"interest": declined, "url": "https://q.example/interests/2/"},
        "deal_reminder": {"deal": deal, "overdue": False, "url": "https://q.example/deals/1/"},
    }


@pytest.mark.parametrize("template", sorted(SUBJECTS))
@pytest.mark.parametrize("index", range(3))
def test_every_email_in_every_language(
    contexts: dict[str, dict[str, object]], broker: User, template: str, index: int
) -> None:
    language = LANGUAGES[index]
    broker.preferred_language = language
    subject, body = emails.render_email(template, broker, contexts[template])
    assert SUBJECTS[template][index] in subject
    assert "\n" not in subject
    assert GREETING[language] in body.splitlines()[0]
    assert str(contexts[template]["url"]) in body
    assert "{%" not in body and "&lt;" not in body and "&quot;" not in body
