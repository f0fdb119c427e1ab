"""`qiao serve` behind the documented nginx (deploy/nginx-qiao.conf) with QIAO_SECURE=1: a
request that nginx marks `X-Forwarded-Proto: https` is served, with HSTS; a plain one is
redirected to HTTPS (issue 15, item 13: it used to be redirected for ever)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
STATIC = "/static/qiao/qiao.css"  # answered before any database access


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("QIAO_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "qiao.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "QIAO_DATA_DIR": str(tmp_path),
        "QIAO_SECURE": "1",
        "QIAO_BASE_URL": "https://qiao.test",
        "QIAO_ALLOWED_HOSTS": "qiao.test",
        "QIAO_HSTS_SECONDS": "300",
        "QIAO_SECRET_KEY": "test-only-" + "k" * 50,  # production refuses to start without one
    }
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "qiao.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "qiao serve did not start"
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def get(port: int, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", STATIC, headers={"Host": "qiao.test", **headers})
    return connection.getresponse()


def test_https_from_the_proxy_is_served_with_hsts(served: int) -> None:
    response = get(served, {"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=300; includeSubDomains"


def test_plain_http_is_redirected_to_https(served: int) -> None:
    response = get(served, {})
    assert response.status == 301
    assert response.getheader("Location") == f"https://qiao.test{STATIC}"
