"""Content languages (what a text is written in) versus UI languages (settings.LANGUAGES)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentLanguage(models.TextChoices):
    ZH = "zh", _("Chinese")
    RU = "ru", _("Russian")
    EN = "en", _("English")


UI_TO_CONTENT = {"zh-hans": "zh", "ru": "ru", "en": "en"}
CONTENT_TO_UI = {v: k for k, v in UI_TO_CONTENT.items()}


def content_language_for_ui(ui_language: str | None) -> str:
    return UI_TO_CONTENT.get((ui_language or "en").lower(), "en")


def pick_localized(values: dict[str, str], ui_language: str | None) -> str:
    """Return the value in the reader's language, else the first non-empty one (zh, ru, en)."""
    preferred = content_language_for_ui(ui_language)
    if values.get(preferred):
        return values[preferred]
    for code in ("zh", "ru", "en"):
        if values.get(code):
            return values[code]
    return ""
