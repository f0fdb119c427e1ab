"""A pass reason is e-mailed to every representative of the profile's owner, each in their
preferred language, without naming who passed; nobody else gets it."""

from __future__ import annotations

import pytest
from django.core import mail

from qiao.accounts.models import UILanguage, User
from qiao.core.testing.factories import UserFactory
from qiao.deals import services
from qiao.exchange.models import Profile
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(cn_org: Organization, cn_rep: User) -> dict[str, User]:
    """The owner organisation's representatives: one reading each language."""
    return {
        "zh-hans": cn_rep,
        "ru": UserFactory.create(organization=cn_org, preferred_language=UILanguage.RU),
        "en": UserFactory.create(organization=cn_org, preferred_language=UILanguage.EN),
    }


# (subject, reason label, "Their comment") in each language
EXPECTED = {
    "zh-hans": ("有机构放弃了", "效益不明确", "对方的说明"),
    "ru": ("Организация отказалась от", "Польза неясна", "Комментарий"),
    "en": ("An organisation passed on", "The benefit is unclear", "Their comment"),
}


def test_pass_reason_reaches_each_owner_representative_in_their_language(
    offer: Profile,
    owners: dict[str, User],
    ru_rep: User,
    broker: User,
    outsider: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.pass_record(
            actor=ru_rep, profile=offer, reason="benefit_unclear", comment="Нужны данные испытаний"
        )
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == sorted(u.email for u in owners.values())
    for language, user in owners.items():
        message = by_recipient[user.email]
        subject, reason, comment = EXPECTED[language]
        assert subject in message.subject and offer.title in message.subject
        assert reason in message.body and comment in message.body
        assert "Нужны данные испытаний" in message.body
        assert f"/profiles/{offer.pk}/" in message.body
        # Who passed stays anonymous, as on the profile page.
        assert ru_rep.organization is not None
        for name in (ru_rep.organization.name_ru, ru_rep.organization.name_en):
            assert not name or name not in message.body


def test_only_a_new_or_changed_reason_is_sent(
    offer: Profile,
    owners: dict[str, User],
    ru_rep: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):  # type: ignore[operator]
        services.pass_record(actor=ru_rep, profile=offer, reason="too_early")
    assert len(mail.outbox) == 3
    with capture(execute=True):  # type: ignore[operator]
        services.pass_record(actor=ru_rep, profile=offer, reason="too_early")
    assert len(mail.outbox) == 3
    with capture(execute=True):  # type: ignore[operator]
        services.pass_record(actor=ru_rep, profile=offer, reason="not_our_field")
    assert len(mail.outbox) == 6


def test_a_refused_pass_sends_nothing(
    offer: Profile,
    owners: dict[str, User],
    cn_rep: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    from qiao.core.errors import NotAllowed

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):  # type: ignore[operator]
        services.pass_record(actor=cn_rep, profile=offer, reason="too_early")
    assert mail.outbox == []
