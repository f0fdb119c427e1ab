"""Where private files live: CVs, deal documents, alliance membership documents, survey
uploads and certificates sit under QIAO_PRIVATE_MEDIA_ROOT, which no URL serves; each is
streamed by a view that checks who is asking."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    # Given to FileField as a callable, so that migrations do not freeze the path.
    return FileSystemStorage(location=settings.QIAO_PRIVATE_MEDIA_ROOT, base_url=None)
