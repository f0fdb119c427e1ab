"""`qiao backup` / `qiao restore`: the database, private files and media in one archive.

The search index needs nothing of its own: its state is in the database (decision 0008), so a
restored database serves the same results (`qiao reindex --check` confirms it). How the
database is copied, and why: docs/decisions/0009-backup-and-restore.md.

Archive (`.tar.gz`): `manifest.json`, then `database.sqlite3` (SQLite's online backup) or
`database.pgdump` (`pg_dump --format=custom`), then `media/...` and `private/...`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class FileTree:
    """A directory saved under `member` in the archive."""

    member: str
    path: Path


def file_trees() -> list[FileTree]:
    return [
        FileTree("media", Path(settings.MEDIA_ROOT)),
        FileTree("private", Path(settings.QIAO_PRIVATE_MEDIA_ROOT)),
    ]


# --- PostgreSQL client programs ----------------------------------------------------------------


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the default database, so no password is on a command line."""
    db = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": db.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _pg_run(program: str, *args: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} not found: install the PostgreSQL client of the server's version "
            "(Debian: apt-get install postgresql-client)"
        )
    result = subprocess.run(
        [executable, *args], env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


# --- backup --------------------------------------------------------------------------------


def _dump_database(directory: Path) -> Path:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"cannot back up a {vendor} database")
    target = directory / DATABASE_MEMBER[vendor]
    if vendor == "sqlite":
        # The online backup API copies a consistent snapshot while the web and worker write.
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        _pg_run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")
    return target


def _manifest() -> dict[str, Any]:
    applied = MigrationRecorder(connection).applied_migrations()
    latest: dict[str, str] = {}
    for app, name in sorted(applied):
        latest[app] = name
    return {
        "format": FORMAT,
        "vendor": connection.vendor,
        "created": timezone.now().isoformat(),
        "migrations": latest,
        "trees": [tree.member for tree in file_trees()],
    }


def backup_create(*, archive: Path) -> dict[str, Any]:
    """Write the archive (via a temporary name: a partial backup never looks complete)."""
    archive = archive.resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(f".{archive.name}.partial")
    with tempfile.TemporaryDirectory(prefix="qiao-backup-", dir=archive.parent) as work:
        dump = _dump_database(Path(work))
        manifest = _manifest()
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        # Readable by the platform's user alone: it holds CVs and password hashes.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=dump.name)
            for tree in file_trees():
                if tree.path.is_dir():
                    tar.add(tree.path, arcname=tree.member)
    partial.replace(archive)
    return manifest


# --- restore -------------------------------------------------------------------------------


def _member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"refusing an archive member outside its folder: {name}")
    return path


def _is_empty(path: Path) -> bool:
    return not path.exists() or not any(path.iterdir())


def _check_target_is_empty(vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(
            f"the archive holds a {vendor} database; this installation uses {connection.vendor}"
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables): restore into a new, empty "
            "database (docs/deployment.md, 'Restore')"
        )
    for tree in file_trees():
        if not _is_empty(tree.path):
            raise BackupError(f"{tree.path} is not empty: restore into empty folders")


def _restore_database(vendor: str, dump: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
    else:
        _pg_run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        )
    connection.close()  # what this process knew about the database is stale


def _extract_trees(tar: tarfile.TarFile) -> int:
    """Regular files and folders only, each inside its tree (no links, devices or '..')."""
    roots = {tree.member: tree.path for tree in file_trees()}
    count = 0
    for member in tar:
        path = _member_path(member.name)
        if path.parts[0] not in roots:
            continue
        target = roots[path.parts[0]].joinpath(*path.parts[1:])
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
        elif member.isfile():
            source = tar.extractfile(member)
            assert source is not None
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
            count += 1
        else:
            raise BackupError(f"refusing a link or special file in the archive: {member.name}")
    return count


def backup_restore(*, archive: Path) -> dict[str, Any]:
    """Restore an archive into an empty database and empty file folders."""
    with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as work:
        try:
            raw = tar.extractfile(MANIFEST)
        except KeyError:
            raw = None
        if raw is None:
            raise BackupError(f"{archive} is not a Qiao backup (no {MANIFEST})")
        manifest: dict[str, Any] = json.load(raw)
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        vendor = manifest["vendor"]
        _check_target_is_empty(vendor)
        member = tar.getmember(DATABASE_MEMBER[vendor])
        source = tar.extractfile(member)
        assert source is not None
        dump = Path(work) / DATABASE_MEMBER[vendor]
        with source, open(dump, "wb") as out:
            shutil.copyfileobj(source, out)
        _restore_database(vendor, dump)
    with tarfile.open(archive, "r:gz") as tar:
        manifest["files"] = _extract_trees(tar)
    return manifest
