"""`qiao demo` end to end in a subprocess: a fresh data directory, migrations, demo data,
index, worker and server; then real HTTP requests against it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from qiao.cli import _default_base_url, main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"qiao demo exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout}s")


@pytest.mark.slow
def test_qiao_demo_serves_a_working_platform(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env.update(QIAO_DATA_DIR=str(tmp_path / "var"), PYTHONUNBUFFERED="1")
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "qiao.cli", "demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            home = _wait_for(f"{base}/", process)
            assert "Qiao" in home
            query = quote("изолят соевого белка для мясных продуктов")
            results = _wait_for(f"{base}/profiles/?q={query}&kind=offer", process)
            assert "大豆分离蛋白" in results
            schema = _wait_for(f"{base}/api/schema/", process)
            assert "openapi" in schema
        finally:
            process.terminate()
            process.wait(timeout=30)
    output = log.read_text()
    assert _workers_of(tmp_path) == []  # SIGTERM stopped the demo's worker too
    assert "Demo logins" in output
    assert "rep.khabarovsk" in output
    assert (tmp_path / "var" / "qiao.sqlite3").exists()


def _workers_of(tmp_path: Path) -> list[int]:
    """Processes still running a worker with this test's data directory."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"worker" in cmdline and str(tmp_path).encode() in environ:
            found.append(int(proc.name))
    return found


def test_usage_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "serve", "import", "export", "reindex", "search", "worker"):
        assert f"  {command}" in out


def test_unknown_command_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "unknown command" in capsys.readouterr().err


def test_links_in_mail_point_at_the_served_port(monkeypatch: pytest.MonkeyPatch) -> None:
    environ: dict[str, str] = {}
    monkeypatch.setattr(os, "environ", environ)
    _default_base_url("0.0.0.0", 8123)
    assert environ["QIAO_BASE_URL"] == "http://127.0.0.1:8123"
    environ["QIAO_BASE_URL"] = "https://qiao.example.org"
    _default_base_url("127.0.0.1", 8000)
    assert environ["QIAO_BASE_URL"] == "https://qiao.example.org"


def test_production_gets_no_guessed_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    environ = {"QIAO_SECURE": "1"}
    monkeypatch.setattr(os, "environ", environ)
    _default_base_url("127.0.0.1", 8000)
    assert "QIAO_BASE_URL" not in environ
