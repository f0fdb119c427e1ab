"""Date and time inputs render ISO values in every UI language: a browser shows anything else
as an empty field, and the next save would drop the value."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import translation

import qiao
from qiao.core.forms import CheckboxGrid, IsoDateInput, IsoDateTimeInput, IsoTimeInput

LANGUAGES = ("zh-hans", "ru", "en")
ISO_WIDGETS = {"date": IsoDateInput, "time": IsoTimeInput, "datetime-local": IsoDateTimeInput}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("widget", "value", "rendered"),
    [
        (IsoDateInput(), datetime.date(2026, 12, 20), 'value="2026-12-20"'),
        (IsoTimeInput(), datetime.time(14, 30), 'value="14:30"'),
        (IsoDateTimeInput(), datetime.datetime(2026, 12, 20, 14, 30), 'value="2026-12-20T14:30"'),
    ],
)
def test_iso_widgets_render_iso_in_every_language(
    language: str, widget: forms.Widget, value: object, rendered: str
) -> None:
    with translation.override(language):
        assert rendered in widget.render("when", value)


def _form_classes() -> list[type[forms.BaseForm]]:
    found: list[type[forms.BaseForm]] = []
    for module_info in pkgutil.walk_packages(qiao.__path__, "qiao."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_date_and_time_input_in_the_project_is_iso() -> None:
    classes = _form_classes()
    assert len(classes) > 20  # the walk found the apps' forms
    checked = 0
    for cls in classes:
        for name, field in cls.base_fields.items():  # type: ignore[attr-defined]
            input_type = getattr(field.widget, "input_type", None)
            if input_type in ISO_WIDGETS:
                checked += 1
                assert isinstance(field.widget, ISO_WIDGETS[input_type]), (
                    f"{cls.__module__}.{cls.__name__}.{name}"
                )
    assert checked > 10


def test_every_multiple_choice_in_the_project_is_a_checkbox_grid() -> None:
    """No Ctrl-click `<select multiple>`: every multiple choice is a grid of checkboxes."""
    checked = 0
    for cls in _form_classes():
        for name, field in cls.base_fields.items():  # type: ignore[attr-defined]
            if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                checked += 1
                assert isinstance(field.widget, CheckboxGrid), (
                    f"{cls.__module__}.{cls.__name__}.{name}"
                )
    assert checked > 8
