from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from matching.storage import StorageError, load, publish, read_manifest


def write(text: str) -> Any:
    def writer(directory: Path) -> None:
        (directory / "data.txt").write_text(text)

    return writer


def read(manifest: dict[str, Any], directory: Path) -> tuple[str, str]:
    return manifest["name"], (directory / "data.txt").read_text()


def test_publish_then_load(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) is None
    publish(tmp_path, {"name": "first"}, write("one"))
    assert load(tmp_path, read) == ("first", "one")
    publish(tmp_path, {"name": "second"}, write("two"))
    publish(tmp_path, {"name": "third"}, write("three"))
    assert load(tmp_path, read) == ("third", "three")
    # the current generation plus the previous one (a reader may still be opening it)
    assert len(list(tmp_path.glob("gen-*"))) == 2
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_failed_write_leaves_the_old_state(tmp_path: Path) -> None:
    publish(tmp_path, {"name": "good"}, write("ok"))

    def broken(directory: Path) -> None:
        (directory / "data.txt").write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        publish(tmp_path, {"name": "bad"}, broken)
    assert load(tmp_path, read) == ("good", "ok")
    assert not list(tmp_path.glob(".tmp-*"))


def test_load_without_manifest_or_with_garbage(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="nothing saved"):
        load(tmp_path, read)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(StorageError, match="unreadable"):
        read_manifest(tmp_path)


def test_manifest_names_its_generation(tmp_path: Path) -> None:
    publish(tmp_path, {"name": "x"}, write("1"))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert (tmp_path / manifest["generation"] / "data.txt").exists()
