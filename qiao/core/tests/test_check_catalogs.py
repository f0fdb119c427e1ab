"""check_catalogs / update_catalogs on a tiny throwaway project (needs GNU gettext)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from qiao.core.management.catalogs import PoFile, compile_catalog, parse_po, po_path, read_mo

SOURCE = """\
from django.utils.translation import gettext as _, ngettext, pgettext


def greet(name):
    return _("Hello, %(name)s.") % {"name": name}


def count(n):
    return ngettext("%(n)s profile", "%(n)s profiles", n) % {"n": n}


MONTH = pgettext("month name", "May")
"""

TEMPLATE = """\
{% load i18n %}<h1>{% translate "Technology offers" %}</h1>
"""

# Stand-in translations that keep every placeholder, per locale.
MARKS = {"zh_Hans": "译：", "ru": "Перевод: "}


def translate(locale_dir: Path, locale: str, *, compile: bool = True) -> None:
    path = po_path(locale_dir, locale)
    po = PoFile.read(path)
    nplurals = po.nplurals() or 2
    for entry in po.messages:
        if entry.msgid_plural is None:
            entry.set_translation([MARKS[locale] + entry.msgid])
        else:
            entry.set_translation([MARKS[locale] + entry.msgid_plural] * nplurals)
        entry.unset_fuzzy()
    po.write()
    if compile:
        compile_catalog(path)


def check(source: Path, locale_dir: Path) -> str:
    """Run check_catalogs; return its stderr, raising CommandError when it fails."""
    stderr = StringIO()
    try:
        call_command(
            "check_catalogs",
            source_dir=source,
            locale_dir=locale_dir,
            stdout=StringIO(),
            stderr=stderr,
        )
    except CommandError as error:
        raise CommandError(f"{error}\n{stderr.getvalue()}") from error
    return stderr.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    """A source tree and its catalogs, fully translated and compiled."""
    source = tmp_path / "src"
    (source / "app" / "templates").mkdir(parents=True)
    (source / "app" / "views.py").write_text(SOURCE, encoding="utf-8")
    (source / "app" / "templates" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    # Must not be scanned: virtualenvs and runtime data.
    (source / ".venv").mkdir()
    (source / ".venv" / "lib.py").write_text('_("from the venv")\n', encoding="utf-8")
    (source / "var").mkdir()
    (source / "var" / "x.txt").write_text('{% translate "runtime" %}\n', encoding="utf-8")
    locale_dir = tmp_path / "locale"
    call_command("update_catalogs", source_dir=source, locale_dir=locale_dir, stdout=StringIO())
    for locale in MARKS:
        translate(locale_dir, locale)
    return source, locale_dir


def msgstrs(locale_dir: Path, locale: str) -> dict[str, dict[int, str]]:
    po = PoFile.read(po_path(locale_dir, locale))
    return {e.msgid: e.msgstr for e in po.messages}


def test_complete_catalogs_pass(project: tuple[Path, Path]) -> None:
    source, locale_dir = project

    assert check(source, locale_dir) == ""


def test_update_catalogs_fills_english_and_plural_forms(project: tuple[Path, Path]) -> None:
    _, locale_dir = project

    english = msgstrs(locale_dir, "en")
    assert english["Hello, %(name)s."] == {0: "Hello, %(name)s."}
    assert english["%(n)s profile"] == {0: "%(n)s profile", 1: "%(n)s profiles"}
    assert set(english) == {"Hello, %(name)s.", "%(n)s profile", "May", "Technology offers"}
    assert len(msgstrs(locale_dir, "ru")["%(n)s profile"]) == 4  # Russian has four forms
    assert len(msgstrs(locale_dir, "zh_Hans")["%(n)s profile"]) == 1
    header = PoFile.read(po_path(locale_dir, "ru")).header
    assert header is not None and not header.fuzzy


def test_missing_translation_fails(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    path = po_path(locale_dir, "ru")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('msgstr "Перевод: Technology offers"', 'msgstr ""'), encoding="utf-8"
    )
    compile_catalog(path)

    with pytest.raises(CommandError, match=r'untranslated: msgid "Technology offers"'):
        check(source, locale_dir)


def test_new_source_string_missing_from_catalogs_fails(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    with (source / "app" / "views.py").open("a", encoding="utf-8") as f:
        f.write('\nNEW = _("Publish the profile")\n')

    with pytest.raises(CommandError) as failure:
        check(source, locale_dir)

    report = str(failure.value)
    for locale in ("zh_Hans", "ru", "en"):
        assert f'{locale}/LC_MESSAGES/django.po: missing msgid "Publish the profile"' in report


def test_removed_source_string_is_stale(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    views = source / "app" / "views.py"
    views.write_text(views.read_text().replace('pgettext("month name", "May")', '"May"'))

    with pytest.raises(CommandError, match=r'stale \(not in source\): \[month name\] msgid "May"'):
        check(source, locale_dir)


def test_fuzzy_entry_fails(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    path = po_path(locale_dir, "zh_Hans")
    po = PoFile.read(path)
    entry = next(e for e in po.messages if e.msgid == "May")
    entry.flags.append("fuzzy")
    entry.modified = True
    po.write()
    compile_catalog(path)

    with pytest.raises(CommandError, match=r'fuzzy: \[month name\] msgid "May"'):
        check(source, locale_dir)


def test_broken_placeholder_fails(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    path = po_path(locale_dir, "ru")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Перевод: Hello, %(name)s.", "Привет, %(imya)s."), "utf-8")

    with pytest.raises(CommandError, match=r"msgfmt: .*imya"):
        check(source, locale_dir)


def test_stale_compiled_catalog_fails(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    translate(locale_dir, "zh_Hans", compile=False)  # same texts: .mo still matches
    assert check(source, locale_dir) == ""
    path = po_path(locale_dir, "zh_Hans")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("译：May", "五月"), encoding="utf-8")  # not recompiled

    with pytest.raises(CommandError, match=r"django.mo: out of date with django.po"):
        check(source, locale_dir)

    compile_catalog(path)
    assert read_mo(path.with_suffix(".mo"))["month name\x04May"] == "五月"
    assert check(source, locale_dir) == ""


def test_missing_compiled_catalog_fails(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    po_path(locale_dir, "en").with_suffix(".mo").unlink()

    with pytest.raises(
        CommandError, match=r"en/LC_MESSAGES/django.mo: compiled catalog is missing"
    ):
        check(source, locale_dir)


def test_missing_catalog_fails_with_settings_defaults(
    project: tuple[Path, Path], tmp_path: Path
) -> None:
    source, _ = project
    empty = tmp_path / "empty-locale"
    empty.mkdir()

    with (
        override_settings(LOCALE_PATHS=[empty], BASE_DIR=source),
        pytest.raises(CommandError, match=r"3 translation catalog problem"),
    ):
        call_command("check_catalogs", stdout=StringIO(), stderr=StringIO())


def test_po_parser_handles_escapes_plurals_and_obsolete_entries() -> None:
    entries = parse_po(
        'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        "#, fuzzy, python-format\n"
        'msgctxt "ctx"\nmsgid ""\n"two\\n"\n"\\"lines\\""\nmsgid_plural "many"\n'
        'msgstr[0] "zwei"\nmsgstr[1] ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "weg"\n'
    )

    header, entry, obsolete = entries
    assert header.is_header
    assert entry.key == ("ctx", 'two\n"lines"', "many")
    assert entry.fuzzy and entry.msgstr == {0: "zwei", 1: ""}
    assert entry.missing_forms(2) == [1]
    assert obsolete.obsolete and obsolete.msgid == "gone"


def test_the_catalogs_live_inside_the_package() -> None:
    """`pip install .` ships the package only: catalogs beside it were left out, and an
    installed Qiao spoke English to everyone."""
    import qiao

    package = Path(qiao.__file__).resolve().parent
    locale_dir = Path(settings.LOCALE_PATHS[0]).resolve()
    assert locale_dir.is_relative_to(package)
    assert (locale_dir / "ru" / "LC_MESSAGES" / "django.mo").is_file()
