"""Bulk import of technology profiles: reading CSV/XLSX/JSONL, row validation, the import
itself (all or nothing, or skipping bad rows) and the import_profiles command.

Every rejected import must leave the database untouched: the tests check it with
``unchanged()``, which compares the profile and audit-event counts before and after.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from qiao.accounts.models import User
from qiao.core.testing.factories import ProfileFactory, SectorFactory
from qiao.exchange import importing
from qiao.exchange.importing import (
    ImportFileError,
    ImportRejected,
    RowError,
    format_errors,
    import_profiles,
    validate,
)
from qiao.exchange.models import Profile, ProfileEvent, ProfileKind, ProfileStatus, Sector
from qiao.organizations.models import Organization

DEMO_DATA = Path(__file__).resolve().parents[2] / "demo_data"

# Short texts, but clearly in their language so that language detection agrees.
TEXTS = {
    "zh": {
        "title": "激光熔覆修复轴类零件技术",
        "summary": "本技术采用激光熔覆修复磨损的轴类零件，修复后耐磨性优于原件。",
        "description": "修复层与基体冶金结合，变形小，成本约为新件的三分之一。寻求俄罗斯合作伙伴。",
    },
    "ru": {
        "title": "Восстановление валов лазерной наплавкой",
        "summary": "Технология восстанавливает изношенные валы лазерной наплавкой.",
        "description": "Наплавленный слой прочно сцеплен с основой, деформация минимальна. "
        "Ищем партнёра в Китае.",
    },
    "en": {
        "title": "Laser cladding repair of shafts",
        "summary": "The technology repairs worn shafts by laser cladding.",
        "description": "The clad layer bonds with the base metal and the repair costs a third "
        "of a new part. We are looking for a partner.",
    },
}


@pytest.fixture(autouse=True)
def world(cn_org: Organization, ru_org: Organization) -> None:
    """Keys for the persona organisations and a small sector taxonomy."""
    cn_org.key = "cn-college"
    cn_org.save(update_fields=["key"])
    ru_org.key = "ru-college"
    ru_org.save(update_fields=["key"])
    SectorFactory.create(code="manufacturing")
    SectorFactory.create(code="manufacturing.laser")


def row(language: str = "zh", /, **overrides: Any) -> dict[str, Any]:
    """A valid row in ``language`` for cn_org (zh) or ru_org (ru, en); lists as lists.
    Any column can be overridden, ``language`` included (for a wrong declaration)."""
    values: dict[str, Any] = {
        "key": f"ref-{language}",
        "kind": "offer",
        "language": language,
        "organization": "cn-college" if language == "zh" else "ru-college",
        **TEXTS[language],
        "advantages": "",
        "technical_specification": "",
        "keywords": ["laser", "cladding"],
        "sectors": ["manufacturing", "manufacturing.laser"],
        "development_stage": "prototype",
        "ipr_status": "granted",
        "partnership_types": ["licence", "joint_rd"],
        "target_countries": ["RU"] if language == "zh" else ["CN"],
    }
    values.update(overrides)
    return values


def _cell(value: Any) -> Any:
    return "; ".join(value) if isinstance(value, list) else value


def write_csv(
    path: Path,
    rows: list[dict[str, Any]],
    *,
    columns: list[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    if columns is None:
        columns = list(rows[0]) if rows else list(importing.COLUMNS)
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c, "")) for c in columns])
    return path


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    columns = list(rows[0])
    sheet.append(columns)
    for r in rows:
        sheet.append([_cell(r.get(c, "")) for c in columns])
    workbook.save(path)
    return path


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


@contextmanager
def unchanged() -> Iterator[None]:
    before = (Profile.objects.count(), ProfileEvent.objects.count())
    yield
    assert (Profile.objects.count(), ProfileEvent.objects.count()) == before


def rejected(path: Path, actor: User, **kwargs: Any) -> list[RowError]:
    """Import a file that must be rejected; return its errors after checking nothing changed."""
    with unchanged(), pytest.raises(ImportRejected) as info:
        import_profiles(path, actor=actor, **kwargs)
    return info.value.errors


def file_error(path: Path, actor: User, **kwargs: Any) -> str:
    with unchanged(), pytest.raises(ImportFileError) as info:
        import_profiles(path, actor=actor, **kwargs)
    return str(info.value)


def fields(errors: list[RowError]) -> set[tuple[int, str]]:
    return {(e.row, e.field) for e in errors}


# --- valid files -----------------------------------------------------------------------------


def _assert_imported(ids: list[int], secretariat: User) -> None:
    profiles = list(Profile.objects.filter(pk__in=ids).order_by("pk"))
    assert [p.language for p in profiles] == ["zh", "ru", "en"]
    zh = profiles[0]
    assert zh.title == TEXTS["zh"]["title"]
    assert zh.organization.key == "cn-college"
    assert zh.kind == ProfileKind.OFFER
    assert zh.status == ProfileStatus.DRAFT
    assert zh.created_by == secretariat
    assert zh.keywords == ["laser", "cladding"]
    assert sorted(s.code for s in zh.sectors.all()) == ["manufacturing", "manufacturing.laser"]
    assert zh.partnership_types == ["licence", "joint_rd"]
    assert zh.target_countries == ["RU"]
    assert zh.development_stage == "prototype"
    assert not zh.is_sample
    assert profiles[1].organization.key == "ru-college"
    assert ProfileEvent.objects.filter(profile__in=profiles).count() == 3


@pytest.mark.django_db
def test_imports_a_csv_file(tmp_path: Path, secretariat: User) -> None:
    path = write_csv(tmp_path / "profiles.csv", [row("zh"), row("ru"), row("en")])
    report = import_profiles(path, actor=secretariat)
    assert len(report.created) == 3
    assert report.errors == []
    assert report.skipped == 0
    _assert_imported(report.created, secretariat)


@pytest.mark.django_db
def test_imports_an_xlsx_file(tmp_path: Path, secretariat: User) -> None:
    path = write_xlsx(tmp_path / "profiles.xlsx", [row("zh"), row("ru"), row("en")])
    report = import_profiles(path, actor=secretariat)
    _assert_imported(report.created, secretariat)


@pytest.mark.django_db
def test_imports_a_jsonl_file(tmp_path: Path, secretariat: User) -> None:
    path = write_jsonl(tmp_path / "profiles.jsonl", [row("zh"), row("ru"), row("en")])
    report = import_profiles(path, actor=secretariat)
    _assert_imported(report.created, secretariat)


@pytest.mark.django_db
def test_reads_excel_style_csv_with_bom_semicolons_and_loose_values(
    tmp_path: Path, secretariat: User
) -> None:
    """Russian Excel: ";" between cells, a BOM, headers in any case, values in any case."""
    path = tmp_path / "profiles.csv"
    header = ["  Kind", "LANGUAGE", "Organisation", "title", "Summary", "description"]
    header += ["development_stage", "IPR_status", "keywords", "sectors", "target_countries"]
    r = row("ru")
    cells = ["OFFER", "RU", "ru-college", r["title"], r["summary"], r["description"]]
    cells += ["Prototype", "Granted", "лазер，наплавка、валы", "Manufacturing", "cn"]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([header, cells])
    report = import_profiles(path, actor=secretariat)
    profile = Profile.objects.get(pk=report.created[0])
    assert (profile.kind, profile.language, profile.development_stage) == (
        "offer",
        "ru",
        "prototype",
    )
    assert profile.keywords == ["лазер", "наплавка", "валы"]
    assert [s.code for s in profile.sectors.all()] == ["manufacturing"]
    assert profile.target_countries == ["CN"]
    assert profile.partnership_types == []


@pytest.mark.django_db
def test_organisation_by_id_and_explicit_format(
    tmp_path: Path, secretariat: User, other_org: Organization
) -> None:
    path = write_csv(tmp_path / "profiles.txt", [row("en", organization=f"id:{other_org.pk}")])
    assert "csv" in file_error(path, secretariat)
    report = import_profiles(path, actor=secretariat, file_format="csv")
    assert Profile.objects.get(pk=report.created[0]).organization == other_org


@pytest.mark.django_db
def test_sample_flag(tmp_path: Path, secretariat: User) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [row("zh"), row("ru")])
    report = import_profiles(path, actor=secretariat, is_sample=True)
    assert Profile.objects.filter(pk__in=report.created, is_sample=True).count() == 2


@pytest.mark.django_db
def test_publish_publishes_and_indexes_in_one_batch(
    tmp_path: Path, broker: User, django_capture_on_commit_callbacks: Any
) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [row("zh"), row("ru"), row("en")])
    with django_capture_on_commit_callbacks() as callbacks:
        report = import_profiles(path, actor=broker, publish=True)
    assert report.published
    published = Profile.objects.filter(pk__in=report.created, status=ProfileStatus.PUBLISHED)
    assert published.count() == 3
    assert all(p.published_at and p.expires_at for p in published)
    # created -> submitted -> published, each recorded
    assert ProfileEvent.objects.filter(profile__in=published).count() == 9
    assert len(callbacks) == 1  # one indexing task for the whole file


@pytest.mark.django_db
def test_publishing_needs_a_reviewer(tmp_path: Path, cn_rep: User) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [row("zh"), row("zh", title="另一项激光熔覆技术")])
    import_profiles(path, actor=cn_rep)  # as drafts: allowed
    path = write_jsonl(tmp_path / "q.jsonl", [row("zh", title="第三项激光熔覆技术")])
    errors = rejected(path, cn_rep, publish=True)
    assert fields(errors) == {(1, "status")}


@pytest.mark.django_db
def test_progress_bar_on_stderr(
    tmp_path: Path, secretariat: User, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [row("zh")])
    import_profiles(path, actor=secretariat, progress=True)
    assert "1/1" in capsys.readouterr().err


# --- unusable files --------------------------------------------------------------------------


@pytest.mark.django_db
def test_broken_json_line_is_reported_with_its_line_number(
    tmp_path: Path, secretariat: User
) -> None:
    path = tmp_path / "p.jsonl"
    lines = [json.dumps(row("zh"), ensure_ascii=False), '{"kind": "offer", ', "", "[1, 2]"]
    lines.append(json.dumps(row("ru"), ensure_ascii=False))
    path.write_text("\n".join(lines), encoding="utf-8")
    errors = rejected(path, secretariat)
    assert fields(errors) == {(2, ""), (4, "")}
    assert "not valid JSON" in errors[0].message

    report = import_profiles(path, actor=secretariat, skip_invalid=True)
    assert len(report.created) == 2
    assert report.skipped == 2
    assert [e.row for e in report.errors] == [2, 4]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"this is not a workbook", b"PK\x03\x04 truncated zip", b"", b"  \n"],
    ids=["text", "truncated-zip", "empty", "blank"],
)
def test_not_a_workbook(tmp_path: Path, secretariat: User, content: bytes) -> None:
    path = tmp_path / "profiles.xlsx"
    path.write_bytes(content)
    message = file_error(path, secretariat)
    assert "Excel" in message or "empty" in message


@pytest.mark.django_db
def test_zip_that_is_not_a_workbook(tmp_path: Path, secretariat: User) -> None:
    import zipfile

    path = tmp_path / "profiles.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "not a valid Excel workbook" in file_error(path, secretariat)


def _bomb(path: Path, rows: int) -> Path:
    """A workbook whose sheet is ``rows`` empty rows: tiny packed, large unpacked."""
    import zipfile

    base = io.BytesIO()
    Workbook().save(base)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b"<row/>" * rows)
            out.writestr(info.filename, data)
    return path


@pytest.mark.django_db
def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, secretariat: User) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 400_000)  # 2.4 MB of rows, packed about 300 times
    assert path.stat().st_size < 20_000
    message = file_error(path, secretariat)
    assert "would expand to 2.3" in message and "100 times" in message


@pytest.mark.django_db
def test_workbook_over_the_unpacked_limit_is_refused(
    tmp_path: Path, secretariat: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [row("zh")])
    monkeypatch.setattr(importing, "MAX_XLSX_UNCOMPRESSED_BYTES", 1000)
    assert "at most 1000" in file_error(path, secretariat)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["p.csv", "p.jsonl"])
def test_empty_file(tmp_path: Path, secretariat: User, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf\n\n")
    assert "empty" in file_error(path, secretariat)


@pytest.mark.django_db
def test_header_only(tmp_path: Path, secretariat: User) -> None:
    assert "no data rows" in file_error(write_csv(tmp_path / "p.csv", []), secretariat)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(importing.COLUMNS))
    workbook.save(tmp_path / "p.xlsx")
    assert "no data rows" in file_error(tmp_path / "p.xlsx", secretariat)


@pytest.mark.django_db
def test_unknown_extension(tmp_path: Path, secretariat: User) -> None:
    path = tmp_path / "profiles.xls"
    path.write_bytes(b"anything")
    message = file_error(path, secretariat)
    assert "profiles.xls" in message and ".xlsx" in message


@pytest.mark.django_db
def test_cp1251_csv_needs_its_encoding(tmp_path: Path, secretariat: User) -> None:
    path = write_csv(tmp_path / "p.csv", [row("en"), row("ru")], encoding="cp1251")
    message = file_error(path, secretariat)
    assert "UTF-8" in message
    assert "line 3" in message  # the Russian row; the header and English row are plain ASCII
    assert "cp1251" in message

    report = import_profiles(path, actor=secretariat, encoding="cp1251")
    assert Profile.objects.get(pk=report.created[1]).title == TEXTS["ru"]["title"]


@pytest.mark.django_db
def test_gb18030_csv_with_its_encoding(tmp_path: Path, secretariat: User) -> None:
    path = write_csv(tmp_path / "p.csv", [row("zh")], encoding="gb18030")
    assert "UTF-8" in file_error(path, secretariat)
    report = import_profiles(path, actor=secretariat, encoding="gb18030")
    assert Profile.objects.get(pk=report.created[0]).title == TEXTS["zh"]["title"]


@pytest.mark.django_db
def test_wrong_or_unknown_encoding(tmp_path: Path, secretariat: User) -> None:
    path = write_csv(tmp_path / "p.csv", [row("zh")])
    assert "klingon" in file_error(path, secretariat, encoding="klingon")
    path.write_bytes(b"kind\n" + b"\x81\xff\n")
    assert "gb18030" in file_error(path, secretariat, encoding="gb18030")


@pytest.mark.django_db
def test_missing_columns_are_all_listed(tmp_path: Path, secretariat: User) -> None:
    columns = [c for c in importing.COLUMNS if c not in ("title", "ipr_status", "keywords")]
    message = file_error(write_csv(tmp_path / "p.csv", [row()], columns=columns), secretariat)
    assert "title" in message and "ipr_status" in message
    assert "keywords" not in message.split(".")[0]  # optional


@pytest.mark.django_db
def test_unknown_columns_are_an_error(tmp_path: Path, secretariat: User) -> None:
    columns = [*importing.COLUMNS, "titel", "notes"]
    message = file_error(write_csv(tmp_path / "p.csv", [row()], columns=columns), secretariat)
    assert "titel" in message and "notes" in message
    message = file_error(write_jsonl(tmp_path / "p.jsonl", [row(), row(Titel="x")]), secretariat)
    assert "titel (line 2)" in message


@pytest.mark.django_db
def test_no_header_row(tmp_path: Path, secretariat: User) -> None:
    path = tmp_path / "p.csv"
    write_csv(path, [row("en")])
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    assert "header row" in file_error(path, secretariat)


@pytest.mark.django_db
def test_repeated_column(tmp_path: Path, secretariat: User) -> None:
    columns = [*importing.COLUMNS, "Title"]
    message = file_error(write_csv(tmp_path / "p.csv", [row()], columns=columns), secretariat)
    assert "title" in message and "more than once" in message


@pytest.mark.django_db
def test_too_many_rows(tmp_path: Path, secretariat: User) -> None:
    path = tmp_path / "p.csv"
    line = ",".join(str(row("en")[c]) for c in importing.REQUIRED_COLUMNS)
    lines = [",".join(importing.REQUIRED_COLUMNS), *[line] * (importing.MAX_ROWS + 1)]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert "10000" in file_error(path, secretariat)


@pytest.mark.django_db
def test_value_without_a_column_name(tmp_path: Path, secretariat: User) -> None:
    path = tmp_path / "p.csv"
    r = row("en")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*importing.COLUMNS, ""])
        writer.writerow([_cell(r[c]) for c in importing.COLUMNS] + [""])  # blank: fine
        writer.writerow([_cell(r[c]) for c in importing.COLUMNS] + ["stray"])
    errors = rejected(path, secretariat)
    assert fields(errors) == {(3, "")}


# --- row validation --------------------------------------------------------------------------


@pytest.mark.django_db
def test_over_long_texts(tmp_path: Path, secretariat: User) -> None:
    long = row(
        "en",
        title="Laser " * 50,
        summary="Laser cladding. " * 40,
        description="Laser cladding repairs shafts. " * 140,
        advantages="a" * 4001,
    )
    errors = rejected(write_xlsx(tmp_path / "p.xlsx", [row("zh"), long]), secretariat)
    assert fields(errors) == {(3, "title"), (3, "summary"), (3, "description"), (3, "advantages")}
    assert "256" in next(e.message for e in errors if e.field == "title")


@pytest.mark.django_db
def test_keywords(tmp_path: Path, secretariat: User) -> None:
    many = row("en", keywords=[f"word{i}" for i in range(13)])
    long = row("ru", keywords=["x" * 65, "laser"])
    errors = rejected(write_jsonl(tmp_path / "p.jsonl", [many, long]), secretariat)
    assert fields(errors) == {(1, "keywords"), (2, "keywords")}
    assert "12" in errors[0].message
    assert "x" * 65 in errors[1].message


@pytest.mark.django_db
def test_required_values(tmp_path: Path, secretariat: User) -> None:
    r = row("en", summary="  ", organization="", development_stage="")
    errors = rejected(write_csv(tmp_path / "p.csv", [r]), secretariat)
    assert fields(errors) == {(2, "summary"), (2, "organization"), (2, "development_stage")}
    r = row("en")
    del r["title"]
    errors = rejected(write_jsonl(tmp_path / "p.jsonl", [r]), secretariat)
    assert fields(errors) == {(1, "title")}


@pytest.mark.django_db
def test_invalid_choices(tmp_path: Path, secretariat: User) -> None:
    r = row(
        "en",
        kind="offering",
        ipr_status="patented",
        partnership_types=["licence", "franchise"],
        target_countries=["RU", "US"],
    )
    errors = rejected(write_csv(tmp_path / "p.csv", [r]), secretariat)
    assert fields(errors) == {
        (2, "kind"),
        (2, "ipr_status"),
        (2, "partnership_types"),
        (2, "target_countries"),
    }
    kind = next(e for e in errors if e.field == "kind")
    assert "offering" in kind.message and "request" in kind.message
    assert "franchise" in next(e.message for e in errors if e.field == "partnership_types")


@pytest.mark.django_db
def test_json_values_of_the_wrong_type(tmp_path: Path, secretariat: User) -> None:
    r = row("en", title=["a", "list"], keywords={"not": "a list"})
    errors = rejected(write_jsonl(tmp_path / "p.jsonl", [r]), secretariat)
    assert fields(errors) == {(1, "title"), (1, "keywords")}


@pytest.mark.django_db
def test_duplicates_within_the_file(tmp_path: Path, secretariat: User) -> None:
    again = row("en", title="  LASER cladding   repair of shafts ")
    other_kind = row("en", kind="request")
    rows = [row("en"), row("zh"), again, other_kind]
    errors = rejected(write_csv(tmp_path / "p.csv", rows), secretariat)
    assert fields(errors) == {(4, "title")}
    assert "row 2" in errors[0].message


@pytest.mark.django_db
def test_duplicates_of_existing_profiles(
    tmp_path: Path, secretariat: User, cn_org: Organization
) -> None:
    existing = ProfileFactory.create(organization=cn_org, language="zh", title=TEXTS["zh"]["title"])
    errors = rejected(write_jsonl(tmp_path / "p.jsonl", [row("ru"), row("zh")]), secretariat)
    assert fields(errors) == {(2, "title")}
    assert str(existing.pk) in errors[0].message


@pytest.mark.django_db
def test_unsupported_language(tmp_path: Path, secretariat: User) -> None:
    errors = rejected(write_csv(tmp_path / "p.csv", [row("en", language="de")]), secretariat)
    assert fields(errors) == {(2, "language")}
    assert "de" in errors[0].message and "zh, ru, en" in errors[0].message


@pytest.mark.django_db
def test_text_language_must_match(tmp_path: Path, secretariat: User) -> None:
    mismatch = row("zh", language="ru", organization="cn-college")
    errors = rejected(write_csv(tmp_path / "p.csv", [row("en"), mismatch]), secretariat)
    assert fields(errors) == {(3, "language")}


@pytest.mark.django_db
def test_unknown_organisation_and_sectors(tmp_path: Path, secretariat: User) -> None:
    rows = [
        row("en", organization="no-such-college"),
        row("ru", sectors=["manufacturing", "space", "biotech.x"]),
        row("zh", organization="id:999999"),
    ]
    errors = rejected(write_xlsx(tmp_path / "p.xlsx", rows), secretariat)
    assert fields(errors) == {(2, "organization"), (3, "sectors"), (4, "organization")}
    assert "no-such-college" in errors[0].message
    sectors = errors[1].message
    assert "space" in sectors and "biotech.x" in sectors and "manufacturing" not in sectors


@pytest.mark.django_db
def test_representative_imports_only_for_own_organisation(
    tmp_path: Path, cn_rep: User, broker: User, other_org: Organization
) -> None:
    rows = [row("zh"), row("ru")]  # cn_org, then ru_org
    errors = rejected(write_csv(tmp_path / "p.csv", rows), cn_rep)
    assert fields(errors) == {(3, "organization")}

    report = import_profiles(tmp_path / "p.csv", actor=cn_rep, skip_invalid=True)
    assert [Profile.objects.get(pk=pk).organization.key for pk in report.created] == ["cn-college"]
    assert report.skipped == 1

    # The broker manages cn_org and ru_org, not other_org.
    rows = [row("ru", title="Наплавка валов, вторая версия"), row("en")]
    rows[1]["organization"] = f"id:{other_org.pk}"
    errors = rejected(write_csv(tmp_path / "q.csv", rows), broker)
    assert fields(errors) == {(3, "organization")}


@pytest.mark.django_db
def test_collects_every_error_of_every_row(tmp_path: Path, secretariat: User) -> None:
    rows = [
        row("en", kind="x", language="de", sectors=["nope"]),
        row("zh"),
        row("ru", title="", ipr_status="", organization="nowhere"),
    ]
    with unchanged():
        plan = validate(write_csv(tmp_path / "p.csv", rows), actor=secretariat)
    assert fields(plan.errors) == {
        (2, "kind"),
        (2, "language"),
        (2, "sectors"),
        (4, "title"),
        (4, "ipr_status"),
        (4, "organization"),
    }
    assert [r.row for r in plan.rows] == [3]
    assert plan.rows[0].key == "ref-zh"
    assert plan.total == 3


@pytest.mark.django_db
def test_skip_invalid_imports_the_good_rows(tmp_path: Path, secretariat: User) -> None:
    rows = [row("zh"), row("en", language="de"), row("ru"), row("en", kind="")]
    report = import_profiles(
        write_jsonl(tmp_path / "p.jsonl", rows), actor=secretariat, skip_invalid=True
    )
    assert len(report.created) == 2
    assert report.skipped == 2
    assert fields(report.errors) == {(2, "language"), (4, "kind")}
    assert Profile.objects.count() == 2


@pytest.mark.django_db
def test_failure_while_writing_rolls_everything_back(
    tmp_path: Path, secretariat: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qiao.exchange import services

    real_create = services.profile_create
    calls = []

    def create_then_fail(**kwargs: Any) -> Profile:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "profile_create", create_then_fail)
    path = write_jsonl(tmp_path / "p.jsonl", [row("zh"), row("ru"), row("en")])
    with unchanged(), pytest.raises(RuntimeError):
        import_profiles(path, actor=secretariat)


def test_format_errors() -> None:
    errors = [RowError(3, "title", "Too long."), RowError(2, "", "Not JSON.")]
    assert format_errors(errors) == ["Row 2: Not JSON.", "Row 3, title: Too long."]


# --- the demo data ---------------------------------------------------------------------------


def load_demo_taxonomy() -> None:
    """The demo sectors and organisations, enough for the demo profiles to validate."""
    sectors: dict[str, Sector] = {}
    for s in json.loads((DEMO_DATA / "sectors.json").read_text(encoding="utf-8")):
        sectors[s["code"]] = Sector.objects.create(
            code=s["code"],
            parent=sectors.get(s.get("parent", "")),
            name_zh=s["zh"],
            name_ru=s["ru"],
            name_en=s["en"],
        )
    Organization.objects.bulk_create(
        Organization(
            key=o["key"],
            kind=o["kind"],
            country=o["country"],
            name_zh=o.get("zh", ""),
            name_ru=o.get("ru", ""),
            name_en=o.get("en", ""),
        )
        for o in json.loads((DEMO_DATA / "organizations.json").read_text(encoding="utf-8"))
    )


@pytest.mark.django_db
def test_the_demo_profiles_are_a_valid_import_file(secretariat: User) -> None:
    load_demo_taxonomy()
    plan = validate(DEMO_DATA / "profiles.jsonl", actor=secretariat, publish=True)
    assert format_errors(plan.errors) == []
    assert len(plan.rows) == plan.total == 64
    assert {r.data.language for r in plan.rows} == {"zh", "ru", "en"}
    # Read exactly as written: nothing re-split, re-ordered or trimmed.
    lines = (DEMO_DATA / "profiles.jsonl").read_text(encoding="utf-8").splitlines()
    for planned, line in zip(plan.rows, lines, strict=True):
        source = json.loads(line)
        data = planned.data
        assert planned.key == source["key"]
        assert planned.organization.key == source["organization"]
        for name in ("kind", "language", "title", "summary", "description", "ipr_status"):
            assert getattr(data, name) == source[name], (planned.key, name)
        assert data.advantages == source.get("advantages", "")
        assert list(data.keywords) == source.get("keywords", [])
        assert [s.code for s in data.sectors] == source["sectors"]
        assert list(data.partnership_types) == source.get("partnership_types", [])
        assert list(data.target_countries) == source.get("target_countries", [])


# --- the command -----------------------------------------------------------------------------


def run(*args: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_profiles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_command_imports(tmp_path: Path, secretariat: User) -> None:
    path = write_csv(tmp_path / "p.csv", [row("zh"), row("ru")])
    out, _ = run(str(path), "--user", "secretariat", "--publish", "--sample")
    assert "2" in out and "published" in out
    assert Profile.objects.filter(status=ProfileStatus.PUBLISHED, is_sample=True).count() == 2


@pytest.mark.django_db
def test_command_rejects_and_lists_errors(tmp_path: Path, secretariat: User) -> None:
    path = write_csv(tmp_path / "p.csv", [row("zh"), row("en", language="de", kind="x")])
    err = io.StringIO()
    with unchanged(), pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_profiles", str(path), user="secretariat", stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.startswith("Row 3, kind:") for line in lines)
    assert any(line.startswith("Row 3, language:") for line in lines)


@pytest.mark.django_db
def test_command_exit_status_on_rejection(tmp_path: Path, secretariat: User) -> None:
    from django.core.management import ManagementUtility

    path = write_csv(tmp_path / "p.csv", [row("en", language="de")])
    utility = ManagementUtility(
        ["manage.py", "import_profiles", str(path), "--user", "secretariat"]
    )
    # run_from_argv closes every DB connection when it ends, which on PostgreSQL would
    # drop the test's own transaction; keep it open.
    with (
        unchanged(),
        pytest.raises(SystemExit) as info,
        mock.patch("django.core.management.base.connections.close_all"),
    ):
        utility.execute()
    assert info.value.code == 1


@pytest.mark.django_db
def test_command_skip_invalid(tmp_path: Path, secretariat: User) -> None:
    path = write_csv(tmp_path / "p.csv", [row("zh"), row("en", language="de")])
    out, err = run(str(path), "--user", "secretariat", "--skip-invalid")
    assert Profile.objects.count() == 1
    assert "Row 3, language:" in err
    assert "skipped 1" in out


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(tmp_path: Path, secretariat: User) -> None:
    good = write_csv(tmp_path / "good.csv", [row("zh"), row("ru")])
    with unchanged():
        out, _ = run(str(good), "--user", "secretariat", "--dry-run", "--publish")
    assert "2 of 2" in out
    bad = write_csv(tmp_path / "bad.csv", [row("zh"), row("ru", sectors=["nope"])])
    err = io.StringIO()
    with unchanged(), pytest.raises(CommandError):
        call_command("import_profiles", str(bad), user="secretariat", dry_run=True, stderr=err)
    assert "Row 3, sectors:" in err.getvalue()


@pytest.mark.django_db
def test_command_file_and_user_errors(tmp_path: Path, secretariat: User) -> None:
    path = write_csv(tmp_path / "p.csv", [row("zh")], encoding="gb18030")
    with pytest.raises(CommandError, match="UTF-8"):
        run(str(path), "--user", "secretariat")
    run(str(path), "--user", "secretariat", "--encoding", "gb18030", "--format", "csv")
    assert Profile.objects.count() == 1
    with pytest.raises(CommandError, match="nobody"):
        run(str(path), "--user", "nobody")


@pytest.mark.django_db
def test_command_speaks_the_users_language(tmp_path: Path, ru_rep: User) -> None:
    path = write_csv(tmp_path / "p.csv", [row("en", language="de")])
    with unchanged(), pytest.raises(CommandError) as info:
        run(str(path), "--user", "ru_rep")
    assert "Ничего не импортировано" in str(info.value) or "не импортирован" in str(info.value)


# --- characters no field may hold ----------------------------------------------------------


@pytest.mark.parametrize(("write", "line"), [(write_csv, 3), (write_jsonl, 2)])
def test_nul_is_a_row_error(tmp_path: Path, secretariat: User, write: Any, line: int) -> None:
    # (XLSX cannot hold control characters: its XML refuses them.)
    path = write(tmp_path / f"p.{write.__name__[6:]}", [row("zh"), row("en", title="La\x00ser")])
    plan = validate(path, actor=secretariat)  # what --dry-run shows
    assert fields(plan.errors) == {(line, "title")}
    assert fields(rejected(path, secretariat)) == {(line, "title")}
    report = import_profiles(path, actor=secretariat, skip_invalid=True)
    assert len(report.created) == 1 and fields(report.errors) == {(line, "title")}
    assert list(Profile.objects.values_list("title", flat=True)) == [TEXTS["zh"]["title"]]


def test_control_characters_in_lists_and_lone_surrogates(tmp_path: Path, secretariat: User) -> None:
    path = tmp_path / "p.jsonl"
    bad = row("en", keywords=["laser", "a\x01b"], description="bad \ud800 text")
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")  # ensure_ascii keeps \ud800
    assert fields(rejected(path, secretariat)) == {(1, "keywords"), (1, "description")}


def test_line_breaks_and_tabs_are_text(tmp_path: Path, secretariat: User) -> None:
    text = TEXTS["en"]["description"]
    good = row("en", description=f"{text}\r\n\tSecond line.")
    path = write_jsonl(tmp_path / "p.jsonl", [good])
    assert len(import_profiles(path, actor=secretariat).created) == 1


def test_control_character_error_is_translated(tmp_path: Path, secretariat: User) -> None:
    from django.utils import translation

    path = write_jsonl(tmp_path / "p.jsonl", [row("en", summary="x\x1by")])
    with translation.override("ru"):
        errors = rejected(path, secretariat)
    assert [e.message for e in errors] == ["Управляющий символ U+001B в позиции 2 недопустим."]


@pytest.mark.parametrize("reference", ["id:²", "id:99999999999999999999999", "id:-1", "id:"])
def test_organisation_ids_that_are_no_id(tmp_path: Path, secretariat: User, reference: str) -> None:
    # Found by the fuzz test: "²" passed str.isdigit, a huge id overflowed the database.
    path = write_jsonl(tmp_path / "p.jsonl", [row("zh", organization=reference)])
    assert fields(rejected(path, secretariat)) == {(1, "organization")}


def test_damaged_sheet_inside_a_workbook(tmp_path: Path, secretariat: User) -> None:
    import zipfile

    good = write_xlsx(tmp_path / "good.xlsx", [row("zh")])
    with zipfile.ZipFile(good) as source:
        members = {i.filename: source.read(i.filename) for i in source.infolist()}
    path = tmp_path / "p.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    raw = bytearray(path.read_bytes())
    start = raw.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    raw[start + 40 : start + 60] = b"\xff" * 20  # inside the sheet's compressed data
    path.write_bytes(bytes(raw))
    assert "not a valid Excel workbook" in file_error(path, secretariat)
