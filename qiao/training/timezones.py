"""The viewer's time zone for training timetables: chosen on the page (a cookie), else guessed
from the interface language (Chinese → Harbin, Russian → Moscow), else the site's."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from qiao.training.models import TimeZoneChoice

COOKIE = "qiao_tz"
BY_LANGUAGE = {"zh-hans": TimeZoneChoice.HARBIN, "ru": TimeZoneChoice.MOSCOW}


def viewer_time_zone(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(COOKIE, "")
    if chosen in TimeZoneChoice.values:
        return chosen
    return str(BY_LANGUAGE.get((get_language() or "").lower(), settings.TIME_ZONE))
