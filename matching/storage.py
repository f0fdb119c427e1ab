"""Atomic publication of a directory of files, for the persisted index.

Layout of a published directory:

    manifest.json         the commit point: names the generation holding the data
    gen-<time>-<rand>/    the data files of that generation

A save writes a fresh generation directory, then swaps in a new manifest with os.replace.
A directory cannot be atomically replaced by rename(2) once it has content, and the web
processes watch manifest.json (qiao.exchange.engine), so swapping the manifest file is what
makes a save all-or-nothing: a reader sees the old or the new index, never a half-written
one, and never a missing directory. The previous generation is kept so that a reader that
has just read the old manifest can still load it; older ones are deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

MANIFEST = "manifest.json"
_KEEP_PREVIOUS = 1
_LOAD_ATTEMPTS = 3
_STALE_TMP_SECONDS = 3600


class StorageError(RuntimeError):
    """A persisted directory is missing, unreadable or of an unknown format."""


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def fsync_tree(path: Path) -> None:
    for child in path.rglob("*"):
        if child.is_file():
            with open(child, "rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(path)


def publish(path: Path, manifest: Mapping[str, Any], write: Callable[[Path], None]) -> None:
    """Write a new generation with `write(generation_dir)`, then commit `manifest` (plus the
    generation's name) as path/manifest.json in one atomic rename."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    generation = f"gen-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
    staging = path / f".tmp-{generation}"
    staging.mkdir()
    try:
        write(staging)
        fsync_tree(staging)
        os.replace(staging, path / generation)
        body = dict(manifest, generation=generation)
        tmp = path / f".tmp-{generation}.json"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(body, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path / MANIFEST)
        _fsync_dir(path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_old_generations(path, keep=generation)


def _remove_old_generations(path: Path, keep: str) -> None:
    generations = sorted(p for p in path.glob("gen-*") if p.is_dir() and p.name != keep)
    stale = generations[: max(0, len(generations) - _KEEP_PREVIOUS)]
    for old in stale:
        shutil.rmtree(old, ignore_errors=True)
    for tmp in path.glob(".tmp-*"):  # left behind by a crashed writer (an hour is plenty)
        try:
            age = time.time() - tmp.stat().st_mtime
        except FileNotFoundError:
            continue
        if age > _STALE_TMP_SECONDS:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The committed manifest, or None when nothing was ever saved at `path`."""
    try:
        with open(Path(path) / MANIFEST, encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StorageError(f"{path}: unreadable {MANIFEST}: {exc}") from exc
    return data


def load(path: Path, read: Callable[[dict[str, Any], Path], T]) -> T:
    """`read(manifest, generation_dir)` on the committed generation. Retries when a concurrent
    save removed that generation between reading the manifest and opening its files."""
    for attempt in range(_LOAD_ATTEMPTS):
        manifest = read_manifest(path)
        if manifest is None:
            raise StorageError(f"{path}: no {MANIFEST}: nothing saved here")
        generation = Path(path) / str(manifest.get("generation", ""))
        try:
            return read(manifest, generation)
        except FileNotFoundError:
            if attempt == _LOAD_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
