"""Export of technology profiles in the import format, and the round trip back through the
importer in each format."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from qiao.accounts.models import User
from qiao.core.testing.factories import OrganizationFactory, ProfileFactory, SectorFactory
from qiao.exchange.exporting import export_profiles
from qiao.exchange.importing import COLUMNS, ImportFileError, import_profiles
from qiao.exchange.models import Profile, ProfileKind, ProfileStatus
from qiao.organizations.models import Country, Organization

FIELDS = (
    "kind",
    "language",
    "organization_id",
    "title",
    "summary",
    "description",
    "advantages",
    "technical_specification",
    "development_stage",
    "ipr_status",
    "keywords",
    "partnership_types",
    "target_countries",
)


def snapshot() -> dict[str, dict[str, Any]]:
    """Every profile's importable field values, by title."""
    result = {}
    for profile in Profile.objects.prefetch_related("sectors"):
        values = {name: getattr(profile, name) for name in FIELDS}
        values["sectors"] = sorted(s.code for s in profile.sectors.all())
        result[profile.title] = values
    return result


@pytest.fixture
def profiles(cn_org: Organization, ru_org: Organization) -> list[Profile]:
    """Three languages, both kinds, several sectors, an organisation without a key, and
    awkward texts: several lines, quotes, separators, a leading "="."""
    cn_org.key = "cn-college"
    cn_org.save(update_fields=["key"])
    no_key = OrganizationFactory.create(country=Country.KZ)
    laser, energy = SectorFactory.create(code="laser"), SectorFactory.create(code="energy.solar")
    return [
        ProfileFactory.create(
            organization=cn_org, language="zh", sectors=[laser, energy], published=True
        ),
        ProfileFactory.create(
            organization=ru_org,
            language="ru",
            kind=ProfileKind.REQUEST,
            description="Первая строка описания; «кавычки», запятые.\nВторая строка: "
            'ищем партнёра в Китае, "срочно".',
            sectors=[laser],
        ),
        ProfileFactory.create(
            organization=no_key,
            language="en",
            advantages="=SUM(A1:A2) is not a formula here",
            technical_specification="",
            keywords=[],
            partnership_types=[],
            target_countries=[],
            sectors=[],
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
def test_round_trip(
    tmp_path: Path, profiles: list[Profile], secretariat: User, file_format: str
) -> None:
    before = snapshot()
    path = tmp_path / f"profiles.{file_format}"
    assert export_profiles(Profile.objects.order_by("pk"), path) == 3

    Profile.objects.all().delete()
    report = import_profiles(path, actor=secretariat)

    assert len(report.created) == 3
    assert snapshot() == before


@pytest.mark.django_db
def test_csv_has_a_bom_and_the_import_columns(tmp_path: Path, profiles: list[Profile]) -> None:
    path = tmp_path / "p.csv"
    export_profiles(Profile.objects.all(), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw[3:].decode("utf-8").splitlines()[0] == ",".join(COLUMNS)


@pytest.mark.django_db
def test_organisation_key_or_id_and_list_cells(tmp_path: Path, profiles: list[Profile]) -> None:
    path = tmp_path / "p.jsonl"
    export_profiles(Profile.objects.order_by("pk"), path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["organization"] == "cn-college"
    assert rows[0]["sectors"] == ["energy.solar", "laser"]
    assert rows[2]["organization"] == f"id:{profiles[2].organization_id}"
    assert rows[0]["key"] == str(profiles[0].pk)

    path = tmp_path / "p.xlsx"
    export_profiles(Profile.objects.order_by("pk"), path)
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["sectors"] == "energy.solar; laser"
    assert sheet.cell(row=4, column=COLUMNS.index("advantages") + 1).data_type == "s"


@pytest.mark.django_db
def test_empty_export_and_unknown_format(tmp_path: Path) -> None:
    assert export_profiles(Profile.objects.all(), tmp_path / "p.csv") == 0
    with pytest.raises(ImportFileError):
        export_profiles(Profile.objects.all(), tmp_path / "p.xls")
    assert export_profiles(Profile.objects.all(), tmp_path / "p.xls", file_format="xlsx") == 0


@pytest.mark.django_db
def test_command_filters(tmp_path: Path, profiles: list[Profile]) -> None:
    out = io.StringIO()
    path = tmp_path / "published.jsonl"
    call_command("export_profiles", str(path), status=ProfileStatus.PUBLISHED, stdout=out)
    assert "1" in out.getvalue()
    assert [json.loads(line)["key"] for line in path.read_text().splitlines()] == [
        str(profiles[0].pk)
    ]

    path = tmp_path / "ru.csv"
    call_command("export_profiles", str(path), organization=f"id:{profiles[1].organization_id}")
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 1 + 2  # two-line cell

    call_command("export_profiles", str(tmp_path / "cn.xlsx"), "--organization", "cn-college")
    assert load_workbook(tmp_path / "cn.xlsx").worksheets[0].max_row == 2

    with pytest.raises(CommandError, match="nowhere"):
        call_command("export_profiles", str(path), organization="nowhere")


@pytest.mark.django_db
def test_csv_cells_a_spreadsheet_would_run_are_escaped(
    tmp_path: Path, profiles: list[Profile], secretariat: User
) -> None:
    link = '=HYPERLINK("http://evil.example","Click")'
    Profile.objects.filter(pk=profiles[2].pk).update(title=link, summary="@SUM(1)", advantages="")
    path = tmp_path / "p.csv"
    export_profiles(Profile.objects.filter(pk=profiles[2].pk), path)

    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        row = dict(zip(COLUMNS, list(csv.reader(fh))[1], strict=True))
    assert row["title"] == "'" + link
    assert row["summary"] == "'@SUM(1)"

    Profile.objects.all().delete()
    import_profiles(path, actor=secretariat)
    assert Profile.objects.get().title == link  # the importer removes the escape again
