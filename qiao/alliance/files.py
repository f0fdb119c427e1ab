"""Uploaded documents: the extension must be an allowed type, the bytes must look like that
type (a renamed executable is refused) and the size must stay under the limit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# extension -> (content type, leading bytes any real file of that type starts with)
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    # Office Open XML files are ZIP archives.
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
}


def check_document(upload: UploadedFile[Any]) -> str:
    """Validate an application document; return its content type."""
    return check_upload(upload, types=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)


def check_upload(
    upload: UploadedFile[Any],
    *,
    types: dict[str, tuple[str, tuple[bytes, ...]]],
    max_bytes: int,
) -> str:
    """Validate an upload against allowed types and a size limit; return its content type."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in types:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
            % {"name": name, "types": ", ".join(sorted({e.upper() for e in types}))}
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    if size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(max_bytes),
            }
        )
    content_type, signatures = types[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("“%(name)s” is not a real %(type)s file.") % {"name": name, "type": extension.upper()}
        )
    return content_type
