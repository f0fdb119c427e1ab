"""Request-size limits: a body over QIAO_MAX_REQUEST_BYTES is refused before anything reads
it, with a translated 413 page; `qiao serve`'s waitress refuses bodies over twice the limit
before buffering them, chunked ones included (qiao.core.limits)."""

from __future__ import annotations

import contextlib
import http.client
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.urls import reverse
from waitress import wasyncore

from qiao.alliance.models import MembershipApplication
from qiao.cli import waitress_server

LIMIT = 50_000


@pytest.fixture(autouse=True)
def small_limit(settings: Any) -> None:
    settings.QIAO_MAX_REQUEST_BYTES = LIMIT


class UnreadableInput(io.RawIOBase):
    """A request body that must never be read."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body was read")


@pytest.mark.django_db
def test_declared_oversized_body_is_refused_unread_with_a_translated_page(
    anon_client: Client,
) -> None:
    anon_client.cookies["django_language"] = "ru"
    body: dict[str, Any] = {"CONTENT_LENGTH": str(2**30), "wsgi.input": UnreadableInput()}
    response = anon_client.generic(
        "POST", reverse("alliance:apply"), b"", "multipart/form-data; boundary=x", **body
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Запрос был 1,0\xa0ГБ; за один раз можно отправить не больше 48,8\xa0КБ" in page
    assert not MembershipApplication.objects.exists()


@pytest.mark.django_db
def test_real_upload_over_the_limit(anon_client: Client) -> None:
    big = SimpleUploadedFile("c.pdf", b"%PDF-" + b"0" * LIMIT, "application/pdf")
    response = anon_client.post(reverse("alliance:apply"), {"registration": big})
    assert response.status_code == 413
    assert "at most 48.8\xa0KB can be sent at once" in response.content.decode()


@pytest.mark.django_db
def test_under_the_limit_the_form_checks_its_own_file_limit(anon_client: Client) -> None:
    small = SimpleUploadedFile("c.exe", b"MZ" * 100, "application/octet-stream")
    response = anon_client.post(reverse("alliance:apply"), {"registration": small})
    assert response.status_code == 200
    assert response.context["form"].errors["registration"]


@pytest.mark.django_db
def test_form_fields_over_djangos_limit_get_the_same_page(
    anon_client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = anon_client.post(reverse("alliance:apply"), {"description": "x" * 2000})
    assert response.status_code == 413


def test_other_bad_requests_keep_djangos_400(client: Client) -> None:
    response = client.get("/", HTTP_HOST="bad host")
    assert response.status_code == 400


@pytest.fixture
def served() -> Iterator[int]:
    """`qiao serve`'s waitress server on a free port, in a thread."""
    server = waitress_server(get_wsgi_application(), host="127.0.0.1", port=0, threads=1)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    # Stop from inside the server's own loop: closing its sockets from here races its select().
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    thread.join(timeout=5)
    server.task_dispatcher.shutdown()


def _post(port: int, headers: dict[str, str], body: Iterator[bytes] | bytes) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        # Refused and closed while we were still sending: its answer may be there all the same.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request("POST", "/alliance/join/", body=body, headers=headers)
        try:
            return connection.getresponse().status
        except (OSError, http.client.HTTPException):  # reset before its answer could be read
            return 413
    finally:
        connection.close()


def test_waitress_refuses_a_declared_body_over_twice_the_limit(served: int) -> None:
    # http.client sends the headers first: waitress answers before reading the body.
    status = _post(served, {"Content-Length": str(3 * LIMIT)}, b"0" * (3 * LIMIT))
    assert status == 413


def test_waitress_refuses_a_chunked_body_over_twice_the_limit(served: int) -> None:
    chunks = (b"0" * 10_000 for _ in range(30))  # 300 kB, no Content-Length
    status = _post(served, {"Transfer-Encoding": "chunked"}, chunks)
    assert status == 413


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "stated"),
    [("en", "at most 10.0\xa0MB"), ("ru", "не более 10,0\xa0МБ"), ("zh-hans", "不超过 10.0\xa0MB")],
)
def test_forms_state_their_file_limit_in_the_readers_language(
    anon_client: Client, language: str, stated: str
) -> None:
    anon_client.cookies["django_language"] = language
    page = anon_client.get(reverse("alliance:apply")).content.decode()
    assert page.count(stated) == 3  # registration, letter, other document
