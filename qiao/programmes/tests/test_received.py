"""'Received' is a status of an application in one place and a date column in another: the
two read differently in Chinese and Russian (contexts keep them apart)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from qiao.programmes.models import ApplicationStatus


@pytest.mark.parametrize(
    ("language", "status", "column"),
    [
        ("zh-hans", "已收到", "收到时间"),
        ("ru", "Получена", "Дата получения"),
        ("en", "Received", "Received"),
    ],
)
def test_received_as_status_and_as_date_column(language: str, status: str, column: str) -> None:
    with translation.override(language):
        assert str(ApplicationStatus.RECEIVED.label) == status
        assert pgettext("date column", "Received") == column
