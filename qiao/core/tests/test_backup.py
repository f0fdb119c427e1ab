"""`qiao backup` then `qiao restore` onto an empty database and empty folders gives back the
same search and careers results and the same files (issue 15, item 13).

The backup is taken from this test's database; the restore and the reads after it run in
fresh processes with qiao.settings, as on a new machine: a new SQLite file or, when the suite
runs on PostgreSQL, a new database on the same server."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from qiao.search.tests.test_processes import (
    REPO,
    _environment,
    _pg_admin,
    _server_url,
    _with_database,
)
from qiao.search.tests.test_restore import index_a_small_world, search_and_careers_results

pytestmark = pytest.mark.slow

# In the restored installation: nothing drifts (the index came back with the database), then
# the same reads as before.
RESULTS = """
import json, django
django.setup()
from django.core.management import call_command
from qiao.search.tests.test_restore import search_and_careers_results
call_command("reindex", "--check")
print(json.dumps(search_and_careers_results()))
"""


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL of a database with nothing in it, on this suite's backend."""
    server = _server_url()
    if server is None:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"qiao_restore_{uuid.uuid4().hex[:12]}"
    _pg_admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server, name)
    finally:
        _pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_backup_restored_onto_an_empty_installation_gives_the_same_results(
    tmp_path: Path, empty_database: str
) -> None:
    index_a_small_world()
    private, media = Path(settings.QIAO_PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)
    (private / "cvs").mkdir(parents=True, exist_ok=True)
    (private / "cvs" / "简历.pdf").write_bytes(b"%PDF-1.4 a CV")
    (media / "logos").mkdir(parents=True, exist_ok=True)
    (media / "logos" / "harbin.svg").write_bytes(b"<svg/>")
    before = json.loads(json.dumps(search_and_careers_results()))
    assert before["search"] and before["careers"]

    archive = tmp_path / "backups" / "qiao.tar.gz"
    call_command("backup", str(archive))
    assert archive.stat().st_mode & 0o077 == 0  # CVs and password hashes: owner only

    data_dir = tmp_path / "new-machine"
    env = _environment(empty_database, data_dir)
    env.pop("QIAO_PRIVATE_MEDIA_ROOT", None)
    run(env, "-m", "qiao.cli", "restore", str(archive))
    assert json.loads(run(env, "-c", RESULTS).strip().splitlines()[-1]) == before
    assert tree(data_dir / "private") == tree(private)
    assert tree(data_dir / "media") == tree(media)

    # A second restore would mix two installations: it is refused.
    again = subprocess.run(
        [sys.executable, "-m", "qiao.cli", "restore", str(archive)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode != 0 and "is not empty" in again.stderr
