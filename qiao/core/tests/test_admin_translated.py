"""The Django admin speaks the reader's language: every registered model's app, model and
field names and every list filter's title are translated in zh-hans and ru."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.db.models import Field, Model
from django.utils import translation

UI_LANGUAGES = ["zh-hans", "ru"]


def _names(model: type[Model]) -> Iterator[tuple[str, str]]:
    """(where, English name) of what the admin shows for a model."""
    meta = model._meta
    yield f"app {meta.app_label}", str(meta.app_config.verbose_name)
    yield f"{meta.label} verbose_name", str(meta.verbose_name)
    yield f"{meta.label} verbose_name_plural", str(meta.verbose_name_plural)
    for field in meta.get_fields():
        # Fields of third-party models (knox, axes, django_tasks_db) are named upstream.
        if (
            isinstance(field, Field)
            and field.concrete
            and not field.auto_created
            and field.model.__module__.startswith("qiao.")
        ):
            yield f"{meta.label}.{field.name}", str(field.verbose_name)


def _untranslated(language: str, model: type[Model]) -> list[str]:
    with translation.override("en"):
        english = list(_names(model))
    with translation.override(language):
        translated = [name for _where, name in _names(model)]
    return [
        f"{where}: {name!r}"
        for (where, name), other in zip(english, translated, strict=True)
        # Names that are the same in every script (an acronym, a code) have no letters to
        # translate; anything with Latin words must change.
        if name == other and any(c.isascii() and c.isalpha() for c in name)
    ]


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_every_admin_model_is_named_in_the_readers_language(language: str) -> None:
    untranslated = [
        line for model in admin.site._registry for line in _untranslated(language, model)
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_list_filter_titles_are_translated(language: str) -> None:
    """A filter on a field is titled with the field's name ('By cohort'), never its code."""
    untranslated = []
    for model, model_admin in admin.site._registry.items():
        for entry in model_admin.list_filter:
            if not isinstance(entry, str):
                continue  # a filter class sets its own (translated) title
            field = model._meta.get_field(entry.split("__")[0])
            if not field.model.__module__.startswith("qiao."):
                continue  # named upstream
            with translation.override(language):
                title = str(getattr(field, "verbose_name", entry))
            if title == entry.split("__")[0] or (title.isascii() and title.strip()):
                untranslated.append(f"{model._meta.label}: {entry} -> {title!r}")
    assert untranslated == []
