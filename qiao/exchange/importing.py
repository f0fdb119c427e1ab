"""Bulk import of technology profiles from CSV, XLSX or JSONL files.

Three steps, each usable on its own:

    read_rows(path)                    -> ImportRows   (file-level checks; ImportFileError)
    validate(path, actor=...)          -> ImportPlan   (every row checked, every error collected)
    import_profiles(path, actor=...)   -> ImportReport (all valid rows written in one transaction)

The columns are the keys of ``qiao/demo_data/profiles.jsonl``; CSV and XLSX carry them in a
header row (case-insensitive). List-valued cells (keywords, sectors, partnership_types,
target_countries) are separated by ";" (",", "；", "，" and "、" work too). Row numbers are the
ones the user sees: the spreadsheet row (header = 1) or the JSONL line.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qiao.core.errors import ServiceError
from qiao.core.languages import ContentLanguage
from qiao.core.spreadsheets import csv_unescape
from qiao.core.text import codepoint, first_forbidden_character
from qiao.exchange import permissions, services
from qiao.exchange.forms import split_keywords
from qiao.exchange.models import (
    DevelopmentStage,
    IPRStatus,
    PartnershipType,
    Profile,
    ProfileKind,
    Sector,
)
from qiao.exchange.services import MAX_KEYWORD_CHARS, MAX_KEYWORDS, ProfileData
from qiao.organizations.models import Country, Organization

if TYPE_CHECKING:
    from qiao.accounts.models import User

FORMATS = ("csv", "xlsx", "jsonl")
MAX_ROWS = 10_000
# An .xlsx file is a ZIP archive: refuse one that would expand past these limits before
# openpyxl reads it (a 1.5 MiB "zip bomb" otherwise expands to a 1 GiB sheet). 10,000 rows of
# long texts fit in well under 100 MiB; real workbooks compress their XML about 5-20 times.
MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 2**20
MAX_XLSX_RATIO = 100
# The command shows a progress bar for files larger than this even when stderr is not a TTY.
PROGRESS_THRESHOLD = 200

REQUIRED_COLUMNS = (
    "kind",
    "language",
    "organization",
    "title",
    "summary",
    "description",
    "development_stage",
    "ipr_status",
)
OPTIONAL_COLUMNS = (
    "key",
    "advantages",
    "technical_specification",
    "keywords",
    "sectors",
    "partnership_types",
    "target_countries",
)
# Column order of exported files (and of the demo file).
COLUMNS = (
    "key",
    "kind",
    "language",
    "organization",
    "title",
    "summary",
    "description",
    "advantages",
    "technical_specification",
    "keywords",
    "sectors",
    "development_stage",
    "ipr_status",
    "partnership_types",
    "target_countries",
)
# Accepted and ignored: the demo file's evaluation metadata (the offer a request was written for).
IGNORED_COLUMNS = ("intended_match",)
COLUMN_ALIASES = {"organisation": "organization"}
LIST_COLUMNS = ("keywords", "sectors", "partnership_types", "target_countries")
TEXT_COLUMNS = ("title", "summary", "description", "advantages", "technical_specification")
ORGANIZATION_ID_PREFIX = "id:"
MAX_ID = 2**63 - 1  # the largest BigAutoField value: a larger one is no organisation's

_KNOWN_COLUMNS = frozenset(COLUMNS) | frozenset(IGNORED_COLUMNS)


def _max_length(name: str) -> int:
    """The model is the one source of truth for text lengths."""
    length = getattr(Profile._meta.get_field(name), "max_length", None)
    assert isinstance(length, int)
    return length


# --- results and errors ----------------------------------------------------------------------


class ImportFileError(Exception):
    """The whole file is unusable; the message is translated and safe to show."""


@dataclass(frozen=True)
class RowError:
    """One problem in one row: ``row`` as the user sees it, ``field`` a column name or ""."""

    row: int
    field: str
    message: str


class ImportRejected(Exception):
    """Some rows are invalid and skipping them was not allowed: nothing was written."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        rows = len({e.row for e in self.errors})
        super().__init__(
            _("Nothing was imported: %(errors)d errors in %(rows)d rows.")
            % {"errors": len(self.errors), "rows": rows}
        )


@dataclass(frozen=True)
class PlannedRow:
    """A valid row, ready for services.profile_create."""

    row: int
    organization: Organization
    data: ProfileData
    key: str = ""


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0  # data rows read, valid or not

    @property
    def invalid_rows(self) -> set[int]:
        return {e.row for e in self.errors}


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)  # profile ids, in file order
    errors: list[RowError] = field(default_factory=list)  # of the skipped rows
    skipped: int = 0  # rows not imported because they had errors
    published: bool = False


def format_errors(errors: Iterable[RowError]) -> list[str]:
    """One readable line per error, in row order."""
    lines = []
    for e in sorted(errors, key=lambda e: e.row):
        if e.field:
            lines.append(
                _("Row %(row)d, %(field)s: %(message)s")
                % {"row": e.row, "field": e.field, "message": e.message}
            )
        else:
            lines.append(_("Row %(row)d: %(message)s") % {"row": e.row, "message": e.message})
    return lines


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRow:
    """A data row as read: column name -> str (CSV, XLSX) or any JSON value (JSONL)."""

    number: int
    values: dict[str, Any]


@dataclass
class ImportRows:
    rows: list[RawRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # rows that could not even be read


def detect_format(path: Path, file_format: str | None = None) -> str:
    if file_format is not None:
        chosen = file_format.lower().lstrip(".")
        if chosen not in FORMATS:
            raise ImportFileError(
                _("Unknown file format %(format)s. Use one of: %(formats)s.")
                % {"format": file_format, "formats": ", ".join(FORMATS)}
            )
        return chosen
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ImportFileError(
            _(
                "Cannot import %(name)s: only .csv, .xlsx and .jsonl files are accepted. "
                "Save the file in one of these formats or name its format explicitly."
            )
            % {"name": path.name}
        )
    return suffix


def read_rows(
    path: str | Path, *, encoding: str | None = None, file_format: str | None = None
) -> ImportRows:
    """Read a file into raw rows, checking everything that concerns the file as a whole."""
    path = Path(path)
    fmt = detect_format(path, file_format)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(
            _("Cannot read %(name)s: %(error)s") % {"name": path.name, "error": error.strerror}
        ) from error
    if not raw.strip():
        raise ImportFileError(_("The file %(name)s is empty.") % {"name": path.name})
    if fmt == "xlsx":
        result = _read_xlsx(raw, path.name)
    else:
        text = _decode(raw, encoding)
        if not text.strip():  # e.g. nothing but a byte order mark
            raise ImportFileError(_("The file %(name)s is empty.") % {"name": path.name})
        result = _read_csv(text) if fmt == "csv" else _read_jsonl(text)
    if not result.rows and not result.errors:
        raise ImportFileError(
            _("The file %(name)s has no data rows, only a header.") % {"name": path.name}
        )
    return result


def _decode(raw: bytes, encoding: str | None) -> str:
    name = encoding or "utf-8"
    try:
        codec = codecs.lookup(name).name
    except LookupError as error:
        raise ImportFileError(_("Unknown encoding %(encoding)s.") % {"encoding": name}) from error
    if codec == "utf-8":
        codec = "utf-8-sig"  # Excel's "CSV UTF-8" starts with a byte order mark
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        if encoding is None:
            message = _(
                "The file is not valid UTF-8 (line %(line)d, byte %(byte)d). Save it as UTF-8 "
                '(in Excel: "CSV UTF-8") or give its encoding, e.g. gb18030 for Chinese or '
                "cp1251 for Russian Excel files."
            )
        else:
            message = _(
                "The file cannot be read as %(encoding)s (line %(line)d, byte %(byte)d). "
                "Check the encoding, or save the file as UTF-8."
            )
        raise ImportFileError(
            message % {"line": line, "byte": error.start + 1, "encoding": encoding}
        ) from error


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)d rows. Split it into several files.") % {"max": MAX_ROWS}
    )


def _header(cells: Sequence[Any]) -> list[str]:
    """Normalised column names; "" for a blank header cell. Checks missing/unknown/repeated."""
    names = []
    for cell in cells:
        name = _cell_text(cell).replace("\ufeff", "").strip().lower()
        names.append(COLUMN_ALIASES.get(name, name))
    _check_columns([n for n in names if n], require=True)
    return names


def _check_columns(names: Sequence[str], *, require: bool) -> None:
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ImportFileError(
            _("These columns appear more than once: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    unknown = [n for n in names if n not in _KNOWN_COLUMNS]
    if require and len(unknown) == len(names):
        raise ImportFileError(
            _("The first row must be the header row naming the columns: %(known)s.")
            % {"known": ", ".join(COLUMNS)}
        )
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    if require:
        missing = [n for n in REQUIRED_COLUMNS if n not in names]
        if missing:
            raise ImportFileError(
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
            )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _table_rows(header: list[str], rows: Iterable[tuple[int, Sequence[Any]]]) -> ImportRows:
    """Rows of a table (CSV or sheet) below the header, as RawRows; blank rows are skipped."""
    result = ImportRows()
    count = 0
    for number, cells in rows:
        texts = [_cell_text(c) for c in cells]
        if not any(t.strip() for t in texts):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _too_many_rows()
        stray = [
            i + 1
            for i, text in enumerate(texts)
            if text.strip() and (i >= len(header) or not header[i])
        ]
        if stray:
            result.errors.append(
                RowError(
                    number,
                    "",
                    _("Column %(columns)s has a value but no name in the header row.")
                    % {"columns": ", ".join(str(i) for i in stray)},
                )
            )
            continue
        values = {name: texts[i] if i < len(texts) else "" for i, name in enumerate(header)}
        values.pop("", None)
        result.rows.append(RawRow(number, values))
    return result


def _read_csv(text: str) -> ImportRows:
    first_line = text.lstrip().split("\n", 1)[0]
    # Russian and German Excel save CSV with ";" between cells; the header row tells.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Our CSV exports escape text that a spreadsheet would run as a formula.
        records = enumerate(([csv_unescape(c) for c in cells] for cells in reader), start=1)
        for _number, cells in records:
            if any(c.strip() for c in cells):  # blank lines above the header do not count
                header = _header(cells)
                return _table_rows(header, records)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return ImportRows()


def _read_xlsx(raw: bytes, name: str) -> ImportRows:
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    broken = _(
        "%(name)s is not a valid Excel workbook (.xlsx). Open it in Excel and save it again."
    ) % {"name": name}
    # What a damaged archive or sheet raises: zlib and EOF errors from a damaged member,
    # NotImplementedError for an unknown compression method, RuntimeError for encryption.
    unreadable = (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        ParseError,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
    )
    try:
        _check_expansion(raw, name)
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (*unreadable, OSError, TypeError) as error:
        raise ImportFileError(broken) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(broken)
        rows: Iterator[tuple[Any, ...]] = workbook.worksheets[0].iter_rows(values_only=True)
        header_cells: tuple[Any, ...] | None = None
        header_number = 0
        for number, cells in enumerate(rows, start=1):
            if any(_cell_text(c).strip() for c in cells):
                header_cells, header_number = cells, number
                break
        if header_cells is None:
            raise ImportFileError(_("The file %(name)s is empty.") % {"name": name})
        header = _header(header_cells)
        return _table_rows(header, enumerate(rows, start=header_number + 1))
    except unreadable as error:
        raise ImportFileError(broken) from error
    finally:
        workbook.close()


def _check_expansion(raw: bytes, name: str) -> None:
    """Refuse a workbook whose members would expand too far, from the sizes the archive
    declares (zipfile never inflates a member past its declared size)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = archive.infolist()
    total = sum(m.file_size for m in members)
    # Small members (styles, an empty sheet) may compress far better without doing harm.
    large = [m for m in members if m.file_size > 2**20]
    ratio = max((m.file_size / max(m.compress_size, 1) for m in large), default=0.0)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES or ratio > MAX_XLSX_RATIO:
        raise ImportFileError(
            _(
                "%(name)s would expand to %(size)s when unpacked; an import file may expand "
                "to at most %(limit)s and to %(ratio)d times its packed size. Split the rows "
                "into several files."
            )
            % {
                "name": name,
                "size": filesizeformat(total),
                "limit": filesizeformat(MAX_XLSX_UNCOMPRESSED_BYTES),
                "ratio": MAX_XLSX_RATIO,
            }
        )


def _read_jsonl(text: str) -> ImportRows:
    result = ImportRows()
    count = 0
    unknown: dict[str, int] = {}
    # Split on "\n" only: JSON strings may hold U+2028 and other characters splitlines() cuts at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        count += 1
        if count > MAX_ROWS:
            raise _too_many_rows()
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            result.errors.append(
                RowError(
                    number,
                    "",
                    _("This line is not valid JSON: %(error)s (at character %(column)d).")
                    % {"error": error.msg, "column": error.colno},
                )
            )
            continue
        if not isinstance(obj, dict):
            result.errors.append(
                RowError(number, "", _("Each line must be one JSON object: {...}."))
            )
            continue
        values: dict[str, Any] = {}
        for raw_name, value in obj.items():
            name = str(raw_name).strip().lower()
            name = COLUMN_ALIASES.get(name, name)
            if name not in _KNOWN_COLUMNS:
                unknown.setdefault(name, number)
            values[name] = value
        result.rows.append(RawRow(number, values))
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
            % {
                "columns": ", ".join(
                    _("%(column)s (line %(line)d)") % {"column": name, "line": line}
                    for name, line in unknown.items()
                ),
                "known": ", ".join(COLUMNS),
            }
        )
    return result


# --- validation ------------------------------------------------------------------------------


def _normalise_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def organization_reference(organization: Organization) -> str:
    """How an import file names an organisation: its key, else "id:<pk>"."""
    return organization.key or f"{ORGANIZATION_ID_PREFIX}{organization.pk}"


def _parse_reference(reference: str) -> tuple[str, int | None]:
    """("key", None) for a key, ("", pk) for "id:<pk>", ("", None) for neither."""
    reference = reference.strip()
    if reference.lower().startswith(ORGANIZATION_ID_PREFIX):
        number = reference[len(ORGANIZATION_ID_PREFIX) :].strip()
        # ASCII digits only ("²" is a digit to str.isdigit), and within the id column's range.
        if number.isascii() and number.isdigit() and int(number) <= MAX_ID:
            return "", int(number)
        return "", None
    return reference, None


def find_organization(reference: str) -> Organization | None:
    """The organisation an import file means by ``reference`` (a key or "id:<pk>")."""
    key, pk = _parse_reference(reference)
    if pk is not None:
        return Organization.objects.filter(pk=pk).first()
    return Organization.objects.filter(key=key).first() if key else None


class _Context:
    """Lookups shared by all rows, loaded in a few queries."""

    def __init__(self, rows: Sequence[RawRow], *, actor: User, publish: bool) -> None:
        self.actor = actor
        self.publish = publish
        self.may_publish = permissions.can_review_profiles(actor)
        self.sectors = {s.code: s for s in Sector.objects.all()}
        keys: set[str] = set()
        ids: set[int] = set()
        for row in rows:
            ref = row.values.get("organization")
            if isinstance(ref, str):
                key, pk = _parse_reference(ref)
                if pk is not None:
                    ids.add(pk)
                elif key:
                    keys.add(key)
        self.by_key = {o.key: o for o in Organization.objects.filter(key__in=keys)}
        self.by_id = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
        orgs = {o.pk for o in [*self.by_key.values(), *self.by_id.values()]}
        self.existing: dict[tuple[int, str, str], int] = {}
        for pk, org_id, kind, title in Profile.objects.filter(organization_id__in=orgs).values_list(
            "pk", "organization_id", "kind", "title"
        ):
            self.existing.setdefault((org_id, kind, _normalise_title(title)), pk)
        self.seen: dict[tuple[int, str, str], int] = {}

    def organization(self, reference: str) -> Organization | None:
        key, pk = _parse_reference(reference)
        return self.by_id.get(pk) if pk is not None else self.by_key.get(key)


class _RowChecker:
    """Checks one raw row, collecting every error rather than stopping at the first."""

    def __init__(self, row: RawRow) -> None:
        self.row = row
        self.errors: list[RowError] = []

    def error(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.row.number, name, message))

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.row.values.get(name)
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(name, _("Expected text, not %(type)s.") % {"type": type(value).__name__})
            return ""
        text = _cell_text(value)
        if not self.allowed(name, text):
            return ""
        text = text.strip()
        if required and not text:
            self.error(name, _("This field is required."))
        return text

    def allowed(self, name: str, text: str) -> bool:
        """False, with an error, when the text holds a character no field may hold."""
        forbidden = first_forbidden_character(text)
        if forbidden is None:
            return True
        position, character = forbidden
        self.error(
            name,
            _("Control character %(character)s at position %(position)d is not allowed.")
            % {"character": codepoint(character), "position": position},
        )
        return False

    def limited_text(self, name: str, *, required: bool = False) -> str:
        text = self.text(name, required=required)
        limit = _max_length(name)
        if len(text) > limit:
            self.error(
                name,
                _("At most %(max)d characters, please (this has %(length)d).")
                % {"max": limit, "length": len(text)},
            )
        return text

    def choice(self, name: str, values: Sequence[str]) -> str:
        text = self.text(name, required=True)
        if not text:
            return ""
        by_folded = {v.casefold(): v for v in values}
        chosen = by_folded.get(text.casefold())
        if chosen is None:
            self.error(
                name,
                _("%(value)s is not a valid choice. Choose one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(values)},
            )
            return ""
        return chosen

    def items(self, name: str) -> list[str]:
        value = self.row.values.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            bad = [v for v in value if isinstance(v, bool) or not isinstance(v, str | int | float)]
            if bad:
                self.error(name, _("Expected a list of texts."))
                return []
            text = "\n".join(_cell_text(v) for v in value)
            return split_keywords(text) if self.allowed(name, text) else []
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = _cell_text(value)
            return split_keywords(text) if self.allowed(name, text) else []
        self.error(name, _("Expected a list of texts."))
        return []

    def choices(self, name: str, values: Sequence[str]) -> list[str]:
        by_folded = {v.casefold(): v for v in values}
        chosen, unknown = [], []
        for item in self.items(name):
            value = by_folded.get(item.casefold())
            if value is None:
                unknown.append(item)
            elif value not in chosen:
                chosen.append(value)
        if unknown:
            self.error(
                name,
                _("Unknown values: %(values)s. Choose from: %(choices)s.")
                % {"values": ", ".join(unknown), "choices": ", ".join(values)},
            )
        return chosen


def _check_row(row: RawRow, ctx: _Context) -> tuple[PlannedRow | None, list[RowError]]:
    c = _RowChecker(row)
    key = c.text("key")
    kind = c.choice("kind", ProfileKind.values)

    language = c.text("language", required=True).lower()
    if language and language not in ContentLanguage.values:
        c.error(
            "language",
            _("Unsupported language %(value)s. Supported languages: %(languages)s.")
            % {"value": language, "languages": ", ".join(ContentLanguage.values)},
        )
        language = ""

    organization: Organization | None = None
    ref = c.text("organization", required=True)
    if ref:
        organization = ctx.organization(ref)
        if organization is None:
            c.error("organization", _("Unknown organisation %(key)s.") % {"key": ref})
        elif not permissions.can_manage_organization_profiles(ctx.actor, organization):
            c.error(
                "organization",
                _("You may not create profiles for organisation %(key)s.") % {"key": ref},
            )
            organization = None

    title = c.limited_text("title", required=True)
    summary = c.limited_text("summary", required=True)
    description = c.limited_text("description", required=True)
    advantages = c.limited_text("advantages")
    specification = c.limited_text("technical_specification")
    stage = c.choice("development_stage", DevelopmentStage.values)
    ipr = c.choice("ipr_status", IPRStatus.values)

    keywords = c.items("keywords")
    if len(keywords) > MAX_KEYWORDS:
        c.error(
            "keywords",
            ngettext(
                "At most %(max)d keyword, please (this has %(count)d).",
                "At most %(max)d keywords, please (this has %(count)d).",
                MAX_KEYWORDS,
            )
            % {"max": MAX_KEYWORDS, "count": len(keywords)},
        )
    too_long = [w for w in keywords if len(w) > MAX_KEYWORD_CHARS]
    if too_long:
        c.error(
            "keywords",
            _("Keywords are at most %(max)d characters long: %(words)s")
            % {"max": MAX_KEYWORD_CHARS, "words": ", ".join(too_long)},
        )

    sectors: list[Sector] = []
    unknown_sectors = []
    for code in c.items("sectors"):
        sector = ctx.sectors.get(code.lower())
        if sector is None:
            unknown_sectors.append(code)
        elif sector not in sectors:
            sectors.append(sector)
    if unknown_sectors:
        c.error(
            "sectors",
            _("Unknown sector codes: %(codes)s.") % {"codes": ", ".join(unknown_sectors)},
        )

    partnership_types = c.choices("partnership_types", PartnershipType.values)
    target_countries = c.choices("target_countries", Country.values)

    data = ProfileData(
        kind=kind,
        language=language,
        title=title,
        summary=summary,
        description=description,
        advantages=advantages,
        technical_specification=specification,
        development_stage=stage,
        ipr_status=ipr,
        sectors=tuple(sectors),
        keywords=tuple(keywords),
        partnership_types=tuple(partnership_types),
        target_countries=tuple(target_countries),
    )
    if language and title and summary and description:
        try:
            services.check_profile_language(data)
        except ValidationError as error:
            for message in error.message_dict.get("language", error.messages):
                c.error("language", message)

    if organization is not None and kind and title:
        identity = (organization.pk, kind, _normalise_title(title))
        earlier = ctx.seen.get(identity)
        existing = ctx.existing.get(identity)
        if earlier is not None:
            c.error(
                "title",
                _(
                    "Duplicate of row %(row)d: the same organisation, type and title "
                    "appear twice in the file."
                )
                % {"row": earlier},
            )
        else:
            ctx.seen[identity] = row.number
        if existing is not None:
            c.error(
                "title",
                _(
                    "Profile %(id)d of this organisation already has this type and title; "
                    "change the title or edit that profile instead."
                )
                % {"id": existing},
            )

    if ctx.publish and not ctx.may_publish:
        c.error(
            "status",
            _("You may not publish profiles: only technology managers and the secretariat may."),
        )

    if c.errors or organization is None:
        return None, c.errors
    return PlannedRow(row=row.number, organization=organization, data=data, key=key), []


def _bar(items: Iterable[Any], *, show: bool, total: int, desc: str) -> Iterable[Any]:
    if not show:
        return items
    from tqdm import tqdm

    bar: Iterable[Any] = tqdm(items, total=total, desc=desc, unit="row", file=sys.stderr)
    return bar


def _show_progress(progress: bool | None, rows: int) -> bool:
    if progress is None:  # automatic: on a terminal, or for large files
        return sys.stderr.isatty() or rows > PROGRESS_THRESHOLD
    return progress


def _plan(
    rows: ImportRows, *, actor: User, publish: bool, progress: bool | None = False
) -> ImportPlan:
    plan = ImportPlan(errors=list(rows.errors), total=len(rows.rows) + len(rows.errors))
    ctx = _Context(rows.rows, actor=actor, publish=publish)
    show = _show_progress(progress, plan.total)
    for raw in _bar(rows.rows, show=show, total=len(rows.rows), desc=_("Checking")):
        planned, errors = _check_row(raw, ctx)
        if planned is not None:
            plan.rows.append(planned)
        plan.errors.extend(errors)
    plan.errors.sort(key=lambda e: e.row)
    return plan


def validate(
    path: str | Path,
    *,
    actor: User,
    encoding: str | None = None,
    file_format: str | None = None,
    publish: bool = False,
    progress: bool | None = False,
) -> ImportPlan:
    """Read and check every row; writes nothing. Raises ImportFileError for unusable files."""
    rows = read_rows(path, encoding=encoding, file_format=file_format)
    return _plan(rows, actor=actor, publish=publish, progress=progress)


# --- import ----------------------------------------------------------------------------------


def import_profiles(
    path: str | Path,
    *,
    actor: User,
    skip_invalid: bool = False,
    publish: bool = False,
    is_sample: bool = False,
    encoding: str | None = None,
    file_format: str | None = None,
    progress: bool | None = False,
) -> ImportReport:
    """Create a profile per valid row, all in one transaction.

    Any invalid row rejects the whole file (ImportRejected, nothing written) unless
    ``skip_invalid``; then the valid rows are imported and the errors reported. ``publish``
    submits and publishes each profile (the actor must be allowed to review). ``progress``
    shows a bar on stderr; None shows it on a terminal or for files of more than
    PROGRESS_THRESHOLD rows.
    """
    plan = validate(
        path,
        actor=actor,
        encoding=encoding,
        file_format=file_format,
        publish=publish,
        progress=progress,
    )
    if plan.errors and not skip_invalid:
        raise ImportRejected(plan.errors)
    report = ImportReport(errors=plan.errors, skipped=len(plan.invalid_rows), published=publish)
    show = _show_progress(progress, plan.total)
    current: PlannedRow | None = None
    try:
        with transaction.atomic(), services.deferred_indexing():
            for current in _bar(plan.rows, show=show, total=len(plan.rows), desc=_("Importing")):
                assert current is not None
                profile = services.profile_create(
                    actor=actor, organization=current.organization, data=current.data
                )
                if publish:
                    services.profile_submit(actor=actor, profile=profile)
                    services.profile_publish(actor=actor, profile=profile)
                report.created.append(profile.pk)
            if is_sample and report.created:
                Profile.objects.filter(pk__in=report.created).update(is_sample=True)
    except (ValidationError, ServiceError, PermissionDenied) as error:
        # Validation should have caught it; the transaction is rolled back, nothing written.
        row = current.row if current is not None else 0
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise ImportRejected([RowError(row, "", m) for m in messages]) from error
    return report
