"""Allowed teaching-resource files: documents, slides, spreadsheets, images and archives,
checked by extension and content, at most 50 MB. Videos are shared as links."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from qiao.alliance.files import DOCUMENT_TYPES, check_upload

MAX_RESOURCE_BYTES = 50 * 1024 * 1024
ZIP = (b"PK\x03\x04",)
RESOURCE_TYPES = {
    **DOCUMENT_TYPES,
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "zip": ("application/zip", ZIP),
}


def check_resource_file(upload: UploadedFile[Any]) -> str:
    return check_upload(upload, types=RESOURCE_TYPES, max_bytes=MAX_RESOURCE_BYTES)
