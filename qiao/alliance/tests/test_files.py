from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qiao.alliance.files import MAX_DOCUMENT_BYTES, check_document


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", b"%PDF-1.7 ...", "application/pdf"),
        ("scan.JPG", b"\xff\xd8\xff\xe0 jfif", "image/jpeg"),
        ("scan.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
        (
            "letter.docx",
            b"PK\x03\x04 word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepts_real_documents(name: str, content: bytes, content_type: str) -> None:
    assert check_document(SimpleUploadedFile(name, content)) == content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not an accepted file type"),
        ("noextension", b"%PDF-1.4", "not an accepted file type"),
        ("renamed.pdf", b"MZ\x90\x00 this is an executable", "not a real PDF file"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_refuses_bad_documents(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_document(SimpleUploadedFile(name, content))


def test_refuses_documents_over_the_limit() -> None:
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError, match="the limit is 10"):
        check_document(big)
