"""An installation never runs on a published secret key or a wildcard host (issue 15, items 1
and 6): its own random key in the data directory for the demo and tests; production servers
refuse to start without QIAO_SECRET_KEY and QIAO_ALLOWED_HOSTS; `qiao serve` never widens
ALLOWED_HOSTS."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest
from django.conf import settings

from qiao import cli
from qiao.core.installation import (
    InsecureProductionError,
    installation_secret_key,
    production_settings_problems,
    refuse_insecure_production,
)

# The constant every installation used when QIAO_SECRET_KEY was unset (issue 15, item 6).
PUBLISHED_KEY = "insecure-development-key-change-me"


def test_the_running_key_is_not_the_published_constant() -> None:
    assert settings.SECRET_KEY != PUBLISHED_KEY
    assert len(settings.SECRET_KEY) >= 50


def test_installation_key_is_random_persisted_and_private(tmp_path: Path) -> None:
    first = installation_secret_key(tmp_path / "a")

    assert installation_secret_key(tmp_path / "a") == first  # stable across restarts
    assert installation_secret_key(tmp_path / "b") != first  # per installation
    assert (tmp_path / "a" / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("environ", "missing"),
    [
        ({}, {"QIAO_SECRET_KEY", "QIAO_ALLOWED_HOSTS"}),
        ({"QIAO_SECRET_KEY": "k" * 50}, {"QIAO_ALLOWED_HOSTS"}),
        ({"QIAO_ALLOWED_HOSTS": "qiao.example"}, {"QIAO_SECRET_KEY"}),
        ({"QIAO_SECRET_KEY": "k" * 50, "QIAO_ALLOWED_HOSTS": "qiao.example,*"}, {"'*'"}),
        ({"QIAO_SECRET_KEY": "k" * 50, "QIAO_ALLOWED_HOSTS": "qiao.example"}, set()),
    ],
)
def test_production_needs_a_key_and_explicit_hosts(
    environ: dict[str, str], missing: set[str]
) -> None:
    problems = production_settings_problems(debug=False, environ=environ)

    assert len(problems) == len(missing)
    for name in missing:
        assert any(name in problem for problem in problems)


@pytest.mark.parametrize("environ", [{"QIAO_DEMO": "1"}, {}])
def test_the_demo_and_debug_mode_need_no_configuration(environ: dict[str, str]) -> None:
    debug = not environ
    assert production_settings_problems(debug=debug, environ=environ) == []


def _clear_production_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QIAO_SECRET_KEY", "QIAO_ALLOWED_HOSTS", "QIAO_DEMO", "QIAO_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_qiao_serve_refuses_to_start_unconfigured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clear_production_variables(monkeypatch)
    served: list[str] = []
    monkeypatch.setattr(cli, "_serve", lambda host, port, threads: served.append(host))

    code = cli.main(["serve", "--host", "0.0.0.0"])

    assert (code, served) == (2, [])
    error = capsys.readouterr().err
    assert "QIAO_SECRET_KEY" in error
    assert "QIAO_ALLOWED_HOSTS" in error
    with pytest.raises(InsecureProductionError):
        refuse_insecure_production()


def test_the_wsgi_module_refuses_to_load_unconfigured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other WSGI servers (gunicorn, uwsgi) load qiao.wsgi: the same check applies."""
    _clear_production_variables(monkeypatch)
    monkeypatch.delitem(sys.modules, "qiao.wsgi", raising=False)

    with pytest.raises(InsecureProductionError, match="QIAO_SECRET_KEY"):
        importlib.import_module("qiao.wsgi")


def test_qiao_serve_on_all_interfaces_keeps_the_allowed_hosts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's production command used to add '*' to the allowed hosts."""
    _clear_production_variables(monkeypatch)
    monkeypatch.setenv("QIAO_SECRET_KEY", "k" * 50)
    monkeypatch.setenv("QIAO_ALLOWED_HOSTS", "qiao.example")
    served: list[str] = []
    monkeypatch.setattr(cli, "_serve", lambda host, port, threads: served.append(host))

    assert cli.main(["serve", "--host", "0.0.0.0"]) == 0

    assert served == ["0.0.0.0"]
    assert os.environ["QIAO_ALLOWED_HOSTS"] == "qiao.example"


def test_the_demo_on_all_interfaces_adds_no_wildcard(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_production_variables(monkeypatch)

    cli._demo_allow_host("0.0.0.0")
    assert os.environ["QIAO_ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    cli._demo_allow_host("192.0.2.7")
    assert os.environ["QIAO_ALLOWED_HOSTS"] == "127.0.0.1,localhost,192.0.2.7"
