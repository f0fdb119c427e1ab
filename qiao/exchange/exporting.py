"""Export technology profiles in the import format (CSV, XLSX or JSONL).

The columns are exactly importing.COLUMNS, so export -> import reproduces the same field
values. ``organization`` is the organisation's key, or "id:<pk>" when it has none; ``key``
carries the profile's id on this site, for reference (the importer does not use it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from qiao.core.spreadsheets import append_row, csv_writer
from qiao.exchange.importing import COLUMNS, LIST_COLUMNS, detect_format, organization_reference
from qiao.exchange.models import Profile

LIST_SEPARATOR = "; "


def profile_row(profile: Profile) -> dict[str, Any]:
    """One profile as an import row; list-valued columns as lists."""
    return {
        "key": str(profile.pk),
        "kind": profile.kind,
        "language": profile.language,
        "organization": organization_reference(profile.organization),
        "title": profile.title,
        "summary": profile.summary,
        "description": profile.description,
        "advantages": profile.advantages,
        "technical_specification": profile.technical_specification,
        "keywords": list(profile.keywords),
        "sectors": sorted(s.code for s in profile.sectors.all()),
        "development_stage": profile.development_stage,
        "ipr_status": profile.ipr_status,
        "partnership_types": list(profile.partnership_types),
        "target_countries": list(profile.target_countries),
    }


def _rows(queryset: QuerySet[Profile]) -> Iterator[dict[str, Any]]:
    profiles = queryset.select_related("organization").prefetch_related("sectors")
    for profile in profiles.iterator(chunk_size=500):
        yield profile_row(profile)


def _flat(row: dict[str, Any]) -> list[str]:
    return [
        LIST_SEPARATOR.join(row[name]) if name in LIST_COLUMNS else row[name] for name in COLUMNS
    ]


def export_profiles(
    queryset: QuerySet[Profile], path: str | Path, *, file_format: str | None = None
) -> int:
    """Write the profiles to ``path`` (format from its extension unless given); returns the
    number of rows written. CSV is UTF-8 with a byte order mark, so Excel opens it correctly."""
    path = Path(path)
    fmt = detect_format(path, file_format)
    count = 0
    if fmt == "jsonl":
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for row in _rows(queryset):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    elif fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv_writer(fh)
            writer.writerow(COLUMNS)
            for row in _rows(queryset):
                writer.writerow(_flat(row))
                count += 1
    else:
        count = _write_xlsx(queryset, path)
    return count


def _write_xlsx(queryset: QuerySet[Profile], path: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "profiles"
    append_row(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    count = 0
    for row in _rows(queryset):
        append_row(sheet, _flat(row))
        count += 1
    workbook.save(path)
    return count
