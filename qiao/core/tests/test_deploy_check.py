"""`manage.py check --deploy` with the documented production settings reports nothing, and
production refuses to start without QIAO_BASE_URL (issue 15, item 13).

The settings are read once per process, so each case is a fresh `manage.py` subprocess with
exactly the environment of deploy/qiao.env (docs/deployment.md) and a generated secret key."""

from __future__ import annotations

import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
ENV_FILE = REPO / "deploy" / "qiao.env"


def documented_environment(tmp_path: Path) -> dict[str, str]:
    """deploy/qiao.env as systemd reads it, with the secret the guide tells one to generate
    and the data directories in tmp_path (checks must not touch /var/lib)."""
    env: dict[str, str] = {}
    for line in ENV_FILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = " ".join(shlex.split(value))
    env["QIAO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["QIAO_DATA_DIR"] = str(tmp_path / "data")
    env["QIAO_PRIVATE_MEDIA_ROOT"] = str(tmp_path / "data" / "private")
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "qiao.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_the_documented_settings_reports_nothing(tmp_path: Path) -> None:
    result = manage(documented_environment(tmp_path), "check", "--deploy", "--fail-level", "INFO")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_base_url(tmp_path: Path) -> None:
    env = documented_environment(tmp_path)
    del env["QIAO_BASE_URL"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "QIAO_BASE_URL must be set in production" in result.stderr
