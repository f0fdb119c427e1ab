"""Fuzzing the importers (CSV, XLSX, JSONL) with generated files: whatever the file holds, the
import never fails with a traceback, only with ImportFileError or ImportRejected (or a report),
and the database is unchanged whenever the import reports an error (with --skip-invalid: only
the valid rows are written).

Derandomized and bounded (a fixed set of examples, no example database), so it runs in a few
seconds in the normal suite, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from qiao.accounts.models import User
from qiao.core.text import first_forbidden_character
from qiao.exchange.importing import (
    COLUMNS,
    TEXT_COLUMNS,
    ImportFileError,
    ImportRejected,
    import_profiles,
)
from qiao.exchange.models import Profile, ProfileEvent
from qiao.exchange.tests.test_importing import row

pytestmark = pytest.mark.django_db

# QIAO_FUZZ_EXAMPLES=2000 QIAO_FUZZ_RANDOM=1 searches deeper and differently, by hand.
EXAMPLES = int(os.environ.get("QIAO_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize="QIAO_FUZZ_RANDOM" not in os.environ,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that have broken importers before, or look like what a column expects.
TRICKY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ufeff",
    "\u2028",
    '=HYPERLINK("http://evil.example")',
    "'=1+1",
    "id:",
    "id:1",
    "id:0",
    "id:99999999999999999999999",
    "id:²",
    "id:-1",
    "cn-college",
    "offer",
    "request",
    "zh",
    "ru",
    "en",
    "prototype",
    "granted",
    "manufacturing",
    "CN; RU",
    ";;;",
    "x" * 5000,
]
TEXT = st.one_of(st.sampled_from(TRICKY), st.text(max_size=30))
JSON_VALUE = st.one_of(
    TEXT,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.lists(TEXT, max_size=3),
    st.dictionaries(TEXT, TEXT, max_size=2),
)


@pytest.fixture(autouse=True)
def world(cn_org: Any, ru_org: Any) -> None:
    from qiao.core.testing.factories import SectorFactory

    cn_org.key = "cn-college"
    cn_org.save(update_fields=["key"])
    SectorFactory.create(code="manufacturing")


@st.composite
def rows(draw: st.DrawFn, value: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A valid row with up to three cells replaced, a column dropped or an unknown one added."""
    values = row(draw(st.sampled_from(["zh", "ru", "en"])))
    names = [*COLUMNS, "intended_match", "bogus"]
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        if draw(st.booleans()) and name in values:
            del values[name]
        else:
            values[name] = draw(value)
    return values


def _text(value: Any) -> str:
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)


def write_csv(path: Path, table: list[dict[str, Any]]) -> None:
    columns = list(dict.fromkeys(name for r in table for name in r))
    with open(path, "w", encoding="utf-8", newline="", errors="surrogatepass") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows([_text(r.get(c, "")) for c in columns] for r in table)


def write_xlsx(path: Path, table: list[dict[str, Any]]) -> None:
    columns = list(dict.fromkeys(name for r in table for name in r))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(columns)
    for r in table:
        # A workbook cannot hold control characters at all: what Excel could save.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", _text(r.get(c, ""))) for c in columns])
    book.save(path)


def write_jsonl(path: Path, table: list[dict[str, Any]]) -> None:
    # ensure_ascii writes lone surrogates as \\udXXX escapes, as other programs may.
    path.write_text("".join(json.dumps(r) + "\n" for r in table), encoding="ascii")


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each example starts from the same database."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def state() -> tuple[list[tuple[Any, ...]], int]:
    profiles = list(Profile.objects.order_by("pk").values_list("pk", "title", "status"))
    return profiles, ProfileEvent.objects.count()


def check_import(path: Path, actor: User, *, skip_invalid: bool) -> None:
    """No traceback; nothing written when the import reports an error (but the valid rows
    with skip_invalid)."""
    with rolled_back():
        before = state()
        try:
            report = import_profiles(path, actor=actor, skip_invalid=skip_invalid)
        except (ImportFileError, ImportRejected):
            assert state() == before
            return
        profiles, _events = state()
        assert len(profiles) == len(before[0]) + len(report.created)
        assert report.errors == [] or skip_invalid
        for profile in Profile.objects.filter(pk__in=report.created):
            for name in TEXT_COLUMNS:
                assert first_forbidden_character(getattr(profile, name)) is None


WRITERS: dict[str, Callable[[Path, list[dict[str, Any]]], None]] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "jsonl": write_jsonl,
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
@FUZZ
@given(data=st.data(), skip_invalid=st.booleans())
def test_generated_rows(
    tmp_path: Path, secretariat: User, file_format: str, data: st.DataObject, skip_invalid: bool
) -> None:
    value = JSON_VALUE if file_format == "jsonl" else TEXT
    table = data.draw(st.lists(rows(value), min_size=1, max_size=3))
    path = tmp_path / f"fuzz.{file_format}"
    WRITERS[file_format](path, table)
    check_import(path, secretariat, skip_invalid=skip_invalid)


@functools.cache
def good_file(file_format: str) -> bytes:
    """A valid two-row file, the same bytes for every example (a workbook records the time it
    was saved)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"good.{file_format}"
        WRITERS[file_format](path, [row("zh"), row("en")])
        return path.read_bytes()


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
@FUZZ
@given(data=st.data())
def test_damaged_files(
    tmp_path: Path, secretariat: User, file_format: str, data: st.DataObject
) -> None:
    """A valid file with bytes changed, cut short or thrown in; or bytes of no format."""
    raw = bytearray(good_file(file_format))
    if data.draw(st.booleans()):
        raw = bytearray(data.draw(st.binary(max_size=300)))
    else:
        for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
            at = data.draw(st.integers(min_value=0, max_value=len(raw)))
            action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
            if action == "flip" and at < len(raw):
                raw[at] = data.draw(st.integers(min_value=0, max_value=255))
            elif action == "cut":
                del raw[at:]
            else:
                raw[at:at] = data.draw(st.binary(min_size=1, max_size=8))
    path = tmp_path / f"fuzz.{file_format}"
    path.write_bytes(bytes(raw))
    check_import(path, secretariat, skip_invalid=data.draw(st.booleans()))


def test_a_workbook_whose_sheet_is_cut_short(tmp_path: Path, secretariat: User) -> None:
    """A sheet that ends in the middle of its XML (random damage rarely stays a valid ZIP)."""
    good = tmp_path / "good.xlsx"
    write_xlsx(good, [row("zh")])
    with zipfile.ZipFile(good) as source:
        members = {i.filename: source.read(i.filename) for i in source.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content[: len(content) // 2] if "sheet1" in name else content)
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(out.getvalue())
    check_import(path, secretariat, skip_invalid=False)
