"""People on a deal's page appear by name, never by login: history, notes, checklist steps."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.deals import services
from qiao.deals.models import ChecklistItem, Deal


def test_deal_page_names_people_not_logins(
    deal: Deal,
    broker: User,
    ru_rep: User,
    checklist: list[ChecklistItem],
    broker_client: Client,
) -> None:
    User.objects.filter(pk=broker.pk).update(first_name="Jing", last_name="Chen")
    User.objects.filter(pk=ru_rep.pk).update(first_name="Иван", last_name="Петров")
    broker.refresh_from_db()
    ru_rep.refresh_from_db()
    services.deal_add_note(actor=ru_rep, deal=deal, text="Созвонимся в пятницу.")
    services.deal_set_step(actor=broker, deal=deal, item=checklist[0], done=True)

    html = broker_client.get(reverse("deals:deal", args=[deal.pk])).content.decode()

    assert "Jing Chen" in html
    assert "Иван Петров" in html
    for login in (broker.username, ru_rep.username):
        assert f">{login}<" not in html
        assert f"{login} ·" not in html
