"""Translation catalogs: extract, check and update qiao/locale/{zh_Hans,ru,en}/LC_MESSAGES/
django.po.

Used by the `check_catalogs` (CI) and `update_catalogs` (developer) commands.

Extraction always runs Django's `makemessages` on a *copy* of the translatable sources (.py,
.html, .txt) in a temp dir. makemessages writes each file's strings to the nearest `locale/`
directory it finds on its way, so running it on the real tree could never be pointed at a
scratch catalog; on the copy, the only catalog it can see is the one we give it.

The compiled .mo files are committed: `./dev.sh demo` must run without gettext installed.
The check therefore also proves each .mo holds exactly what its .po says.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

LOCALES: tuple[str, ...] = ("zh_Hans", "ru", "en")
DOMAIN = "django"
SOURCE_SUFFIXES = frozenset({".py", ".html", ".txt"})  # makemessages' defaults
IGNORED_DIRS = frozenset({".venv", "var", "node_modules", "locale", "build", "dist"})

Key = tuple[str | None, str, str | None]  # (msgctxt, msgid, msgid_plural)


# --- PO files --------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(literal: str) -> str:
    body = literal.strip()[1:-1]

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _ESCAPES.get(code, code)

    return _ESCAPE_RE.sub(replace, body)


def _quote(text: str) -> str:
    return '"{}"'.format(
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )


def _string_lines(keyword: str, text: str) -> list[str]:
    """A PO string field; multi-line texts split after each newline like gettext does."""
    parts = text.splitlines(keepends=True)
    if len(parts) <= 1:
        return [f"{keyword} {_quote(text)}"]
    return [f'{keyword} ""', *(_quote(part) for part in parts)]


@dataclass
class PoEntry:
    line: int  # 1-based line of the first line of the entry
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    obsolete: bool = False
    comments: list[str] = field(default_factory=list)  # all comment lines except flags
    id_lines: list[str] = field(default_factory=list)  # raw msgctxt/msgid/msgid_plural lines
    raw: list[str] = field(default_factory=list)
    modified: bool = False
    has_msgid: bool = False

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def missing_forms(self, nplurals: int) -> list[int]:
        """Indexes of msgstr forms that are absent or empty."""
        wanted = range(nplurals) if self.msgid_plural is not None else range(1)
        return [i for i in wanted if not self.msgstr.get(i)]

    def set_translation(self, forms: Sequence[str]) -> None:
        self.msgstr = dict(enumerate(forms))
        self.modified = True

    def unset_fuzzy(self) -> None:
        if self.fuzzy:
            self.flags = [f for f in self.flags if f != "fuzzy"]
            self.comments = [c for c in self.comments if not c.startswith("#|")]
            self.modified = True

    def describe(self) -> str:
        text = self.msgid if len(self.msgid) <= 70 else self.msgid[:67] + "..."
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"{context}msgid {_quote(text)}"

    def render(self) -> list[str]:
        if not self.modified:
            return self.raw
        previous = [c for c in self.comments if c.startswith("#|")]
        lines = [c for c in self.comments if not c.startswith("#|")]
        if self.flags:
            lines.append("#, " + ", ".join(self.flags))
        lines += previous + self.id_lines
        if self.msgid_plural is None:
            lines += _string_lines("msgstr", self.msgstr.get(0, ""))
        else:
            for index in sorted(self.msgstr):
                lines += _string_lines(f"msgstr[{index}]", self.msgstr[index])
        return lines


@dataclass
class PoFile:
    path: Path
    entries: list[PoEntry]

    @classmethod
    def read(cls, path: Path) -> PoFile:
        return cls(path, parse_po(path.read_text(encoding="utf-8-sig")))

    @property
    def header(self) -> PoEntry | None:
        return next((e for e in self.entries if e.is_header), None)

    @property
    def messages(self) -> list[PoEntry]:
        """Live (not obsolete) entries, without the header."""
        return [e for e in self.entries if not e.obsolete and not e.is_header]

    def header_fields(self) -> dict[str, str]:
        return parse_header(self.header.msgstr.get(0, "")) if self.header else {}

    def nplurals(self) -> int | None:
        match = re.search(r"nplurals\s*=\s*(\d+)", self.header_fields().get("Plural-Forms", ""))
        return int(match.group(1)) if match else None

    def compiled(self) -> dict[str, str]:
        """What msgfmt puts in the .mo: translated, non-fuzzy entries (header excluded)."""
        nplurals = self.nplurals() or 2
        result = {}
        for entry in self.messages:
            if entry.fuzzy or entry.missing_forms(nplurals):
                continue
            forms = [entry.msgstr[i] for i in sorted(entry.msgstr)]
            result[mo_key(entry.key)] = "\x00".join(forms)
        return result

    def write(self) -> None:
        blocks = ["\n".join(entry.render()) for entry in self.entries]
        self.path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def parse_po(text: str) -> list[PoEntry]:
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    target: tuple[str, int] | None = None  # the field continuation lines append to
    seen_msgstr = False

    def finish() -> None:
        nonlocal current, target, seen_msgstr
        if current is not None and current.has_msgid:
            entries.append(current)
        current, target, seen_msgstr = None, None, False

    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            finish()
            continue
        obsolete = stripped.startswith("#~")
        line = stripped[2:].strip() if obsolete else stripped
        # "#~|" is an obsolete entry's previous msgid: a comment like "#|".
        is_comment = line.startswith("#") or (obsolete and (not line or line.startswith("|")))
        keyword = _KEYWORD_RE.match(line)
        starts_new = (is_comment or (keyword and not keyword.group(1).startswith("msgstr"))) and (
            seen_msgstr
        )
        if current is None or starts_new:
            finish()
            current = PoEntry(line=number)
        current.raw.append(raw)
        current.obsolete = current.obsolete or obsolete
        if is_comment:
            if line.startswith("#,"):
                current.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            else:
                current.comments.append(raw)
            continue
        if keyword:
            name, index, literal = keyword.group(1), keyword.group(2), keyword.group(3)
            value = _unquote(literal)
            if name.startswith("msgstr"):
                seen_msgstr = True
                slot = int(index) if index is not None else 0
                current.msgstr[slot] = value
                target = ("msgstr", slot)
            else:
                current.id_lines.append(raw)
                setattr(current, name, value)
                current.has_msgid = current.has_msgid or name == "msgid"
                target = (name, 0)
        elif line.startswith('"') and target is not None:
            value = _unquote(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                current.id_lines.append(raw)
                setattr(current, target[0], (getattr(current, target[0]) or "") + value)
        else:
            raise ValueError(f"line {number}: cannot parse {raw!r}")
    finish()
    return entries


def parse_header(text: str) -> dict[str, str]:
    fields = {}
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


# --- MO files --------------------------------------------------------------------------------


def mo_key(key: Key) -> str:
    msgctxt, msgid, msgid_plural = key
    text = msgid if msgid_plural is None else f"{msgid}\x00{msgid_plural}"
    return text if msgctxt is None else f"{msgctxt}\x04{text}"


def read_mo(path: Path) -> dict[str, str]:
    """All messages of a GNU .mo file, keyed like mo_key(); the header is under ""."""
    data = path.read_bytes()
    if len(data) < 20:
        raise ValueError("truncated file")
    for order in ("<", ">"):
        if struct.unpack(f"{order}I", data[:4])[0] == 0x950412DE:
            break
    else:
        raise ValueError("not a GNU .mo file")
    _revision, count, originals, translations = struct.unpack(f"{order}4I", data[4:20])
    messages = {}
    for i in range(count):
        olen, ooff = struct.unpack(f"{order}2I", data[originals + 8 * i : originals + 8 * i + 8])
        tlen, toff = struct.unpack(
            f"{order}2I", data[translations + 8 * i : translations + 8 * i + 8]
        )
        original = data[ooff : ooff + olen].decode("utf-8")
        messages[original] = data[toff : toff + tlen].decode("utf-8")
    return messages


# --- extraction ------------------------------------------------------------------------------


def _scanned_dir(name: str) -> bool:
    ignored = name in IGNORED_DIRS or name.endswith(".egg-info")
    return not ignored and not name.startswith((".", "__"))  # .git, __pycache__


def _copy_sources(source_dir: Path, destination: Path) -> int:
    copied = 0
    stack = [source_dir]
    while stack:
        directory = stack.pop()
        for child in sorted(directory.iterdir()):
            if child.is_symlink():
                continue
            if child.is_dir():
                if _scanned_dir(child.name):
                    stack.append(child)
            elif child.suffix in SOURCE_SUFFIXES:
                target = destination / child.relative_to(source_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(child, target)
                copied += 1
    return copied


def run_makemessages(
    *, source_dir: Path, locale_dir: Path, locales: Sequence[str], **options: object
) -> None:
    """makemessages over a copy of source_dir's translatable files, writing into locale_dir."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    with tempfile.TemporaryDirectory(prefix="qiao-sources-") as scratch:
        copy = Path(scratch)
        _copy_sources(source_dir, copy)
        with contextlib.chdir(copy), override_settings(LOCALE_PATHS=[str(locale_dir)]):
            call_command(
                "makemessages",
                locale=list(locales),
                domain=DOMAIN,
                verbosity=0,
                stdout=StringIO(),
                **options,
            )


def extract_messages(source_dir: Path) -> set[Key]:
    """Every (msgctxt, msgid, msgid_plural) marked for translation under source_dir."""
    with tempfile.TemporaryDirectory(prefix="qiao-catalog-") as scratch:
        locale_dir = Path(scratch) / "locale"
        run_makemessages(
            source_dir=source_dir, locale_dir=locale_dir, locales=["en"], keep_pot=True
        )
        pot = locale_dir / f"{DOMAIN}.pot"
        if not pot.exists():  # nothing marked for translation at all
            return set()
        return {entry.key for entry in PoFile.read(pot).messages}


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


def po_path(locale_dir: Path, locale: str) -> Path:
    return locale_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def check_catalog(path: Path, expected: set[Key]) -> list[Problem]:
    """Everything wrong with one .po file and its .mo, given the msgids in the source."""
    if not path.exists():
        return [Problem(path, None, "catalog is missing (run `manage.py update_catalogs`)")]
    if path.read_bytes().startswith(b"\xef\xbb\xbf"):
        return [Problem(path, None, "starts with a byte order mark; save it as UTF-8 without")]
    try:
        po = PoFile.read(path)
    except (ValueError, UnicodeDecodeError) as error:
        return [Problem(path, None, f"unreadable: {error}")]

    problems: list[Problem] = []
    header = po.header
    nplurals = po.nplurals()
    if header is None:
        problems.append(Problem(path, None, "no header entry"))
    else:
        if header.fuzzy:
            problems.append(Problem(path, header.line, "header is marked fuzzy"))
        if "charset=UTF-8" not in po.header_fields().get("Content-Type", ""):
            problems.append(Problem(path, header.line, "header must declare charset=UTF-8"))
        if nplurals is None:
            problems.append(Problem(path, header.line, "header has no Plural-Forms"))

    present = {entry.key for entry in po.messages}
    for msgctxt, msgid, msgid_plural in sorted(expected - present, key=_sort_key):
        missing = PoEntry(line=0, msgctxt=msgctxt, msgid=msgid, msgid_plural=msgid_plural)
        problems.append(Problem(path, None, f"missing {missing.describe()}"))
    for entry in po.messages:
        if entry.key not in expected:
            problems.append(Problem(path, entry.line, f"stale (not in source): {entry.describe()}"))
        elif entry.fuzzy:
            problems.append(Problem(path, entry.line, f"fuzzy: {entry.describe()}"))
        elif forms := entry.missing_forms(nplurals or 2):
            what = "untranslated" if entry.msgid_plural is None else f"untranslated forms {forms}"
            problems.append(Problem(path, entry.line, f"{what}: {entry.describe()}"))
        elif entry.msgid_plural is not None and nplurals and len(entry.msgstr) > nplurals:
            problems.append(
                Problem(path, entry.line, f"more than {nplurals} forms: {entry.describe()}")
            )

    problems += _msgfmt_problems(path)
    problems += _mo_problems(po)
    return problems


def _sort_key(key: Key) -> tuple[str, str, str]:
    return (key[1], key[0] or "", key[2] or "")


def _msgfmt_problems(path: Path) -> list[Problem]:
    """Placeholders (python-format) and syntax, exactly as compilemessages checks them."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0:
        return []
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return [Problem(path, None, f"msgfmt: {line}") for line in lines] or [
        Problem(path, None, f"msgfmt failed with status {result.returncode}")
    ]


def _mo_problems(po: PoFile) -> list[Problem]:
    mo_path = po.path.with_suffix(".mo")
    hint = "(run `manage.py update_catalogs` or `manage.py compilemessages`)"
    if not mo_path.exists():
        return [Problem(mo_path, None, f"compiled catalog is missing {hint}")]
    try:
        compiled = read_mo(mo_path)
    except (ValueError, UnicodeDecodeError, struct.error) as error:
        return [Problem(mo_path, None, f"unreadable: {error} {hint}")]
    header = compiled.pop("", "")
    wanted = po.compiled()
    if compiled != wanted or not _same_header(header, po):
        changed = sorted(
            k for k in compiled.keys() | wanted.keys() if compiled.get(k) != wanted.get(k)
        )
        detail = f"{len(changed)} message(s) differ" if changed else "the header differs"
        return [Problem(mo_path, None, f"out of date with {po.path.name}: {detail} {hint}")]
    return []


def _same_header(compiled_header: str, po: PoFile) -> bool:
    # msgfmt drops POT-Creation-Date; everything else must match.
    fields = parse_header(compiled_header)
    wanted = po.header_fields()
    for name in ("POT-Creation-Date",):
        fields.pop(name, None)
        wanted.pop(name, None)
    return fields == wanted


def check_catalogs(
    *, source_dir: Path, locale_dir: Path, locales: Iterable[str] = LOCALES
) -> list[Problem]:
    expected = extract_messages(source_dir)
    problems: list[Problem] = []
    for locale in locales:
        problems += check_catalog(po_path(locale_dir, locale), expected)
    return problems


# --- updating --------------------------------------------------------------------------------


def normalize_catalog(path: Path, *, locale: str) -> int:
    """After makemessages: clear the header's fuzzy flag, set Language, give every plural
    entry exactly nplurals forms and, for English, copy msgid into untranslated or fuzzy
    msgstr. Returns the number of entries changed."""
    po = PoFile.read(path)
    header = po.header
    changed = 0
    if header is not None:
        if header.fuzzy:
            header.unset_fuzzy()
        text = header.msgstr.get(0, "")
        language = re.sub(r"^Language:.*$", f"Language: {locale}", text, flags=re.MULTILINE)
        if language != text:
            header.set_translation([language])
    nplurals = po.nplurals() or 2
    for entry in po.messages:
        if locale == "en" and (entry.fuzzy or entry.missing_forms(nplurals)):
            forms = [entry.msgid] + [entry.msgid_plural or entry.msgid] * (nplurals - 1)
            entry.set_translation(forms if entry.msgid_plural is not None else [entry.msgid])
            entry.unset_fuzzy()
        elif entry.msgid_plural is not None and sorted(entry.msgstr) != list(range(nplurals)):
            entry.set_translation([entry.msgstr.get(i, "") for i in range(nplurals)])
        changed += entry.modified
    if changed or (header is not None and header.modified):
        po.write()
        # Re-wrap the edited entries exactly as makemessages does.
        subprocess.run(["msgattrib", "--no-obsolete", "-o", str(path), str(path)], check=True)
    return changed


def compile_catalog(path: Path) -> None:
    """compilemessages for one file, always: git checkouts scramble mtimes, so Django's
    "the .mo is newer than the .po" shortcut could keep a stale .mo."""
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(path.with_suffix(".mo")), str(path)], check=True
    )


def update_catalogs(
    *, source_dir: Path, locale_dir: Path, locales: Sequence[str] = LOCALES
) -> Iterator[str]:
    """Bring the catalogs in line with the source; yields progress lines."""
    run_makemessages(
        source_dir=source_dir,
        locale_dir=locale_dir,
        locales=locales,
        no_obsolete=True,
        add_location="file",
    )
    for locale in locales:
        path = po_path(locale_dir, locale)
        changed = normalize_catalog(path, locale=locale)
        compile_catalog(path)
        po = PoFile.read(path)
        nplurals = po.nplurals() or 2
        todo = sum(1 for e in po.messages if e.fuzzy or e.missing_forms(nplurals))
        note = f", {changed} filled or fixed" if changed else ""
        yield f"{path}: {len(po.messages)} messages, {todo} to translate{note}"
