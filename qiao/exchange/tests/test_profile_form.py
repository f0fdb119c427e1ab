"""The profile form: sectors as checkboxes, no preselected IP status, one message per save."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from qiao.core.testing.factories import SectorFactory
from qiao.exchange.models import Profile, ProfileStatus, Sector
from qiao.exchange.tests.test_views import _form_data
from qiao.organizations.models import Organization


@pytest.fixture
def sector(db: None) -> Sector:
    return SectorFactory.create()


def _messages(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_save_and_submit_says_once_that_the_profile_was_submitted(
    ru_rep_client: Client, ru_org: Organization, sector: Sector
) -> None:
    ru_rep_client.cookies["django_language"] = "en"
    response = ru_rep_client.post(
        reverse("exchange:create"), {**_form_data(ru_org, sector), "then": "submit"}
    )
    assert Profile.objects.get().status == ProfileStatus.SUBMITTED
    assert _messages(response) == ["The profile was saved and submitted for review."]


def test_saving_a_draft_says_so_once(
    ru_rep_client: Client, ru_org: Organization, sector: Sector
) -> None:
    ru_rep_client.cookies["django_language"] = "en"
    response = ru_rep_client.post(reverse("exchange:create"), _form_data(ru_org, sector))
    assert Profile.objects.get().status == ProfileStatus.DRAFT
    assert _messages(response) == ["The profile was saved as a draft."]


@pytest.mark.parametrize("field", ["ipr_status", "development_stage"])
def test_the_form_preselects_no_ip_status_or_stage(
    ru_rep_client: Client, ru_org: Organization, sector: Sector, field: str
) -> None:
    html = ru_rep_client.get(reverse("exchange:create")).content.decode()
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    assert select is not None
    assert select.group(0).count("selected") == 1
    assert '<option value="" selected>' in select.group(0)
    response = ru_rep_client.post(
        reverse("exchange:create"), _form_data(ru_org, sector, **{field: ""})
    )
    assert response.status_code == 200  # the form again, with the error
    assert field in response.context["form"].errors
    assert not Profile.objects.exists()


def test_sectors_are_checkboxes(ru_rep_client: Client, sector: Sector) -> None:
    html = ru_rep_client.get(reverse("exchange:create")).content.decode()
    assert f'type="checkbox" name="sectors" value="{sector.pk}"' in html
    assert "<select multiple" not in html and 'name="sectors" multiple' not in html
