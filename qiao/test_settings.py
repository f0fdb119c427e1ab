"""Settings for the test suite: qiao.settings plus fast, isolated, side-effect-free overrides.

The database still comes from DATABASE_URL, so the same suite runs on SQLite (default) and on
PostgreSQL (.ci/run). Everything written to disk goes to a per-process temp dir.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from qiao.settings import *  # noqa: F403

_TMP = Path(tempfile.mkdtemp(prefix="qiao-test-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)

# Tasks run inline, inside the caller's process: enqueue() == call. Note that tasks scheduled
# with transaction.on_commit only run in tests using django_capture_on_commit_callbacks or
# transactional_db.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

QIAO_SEARCH_POLL_SECONDS = 0.0  # every read sees the writes before it
MEDIA_ROOT = _TMP / "media"
QIAO_PRIVATE_MEDIA_ROOT = _TMP / "private"
STATIC_ROOT = _TMP / "static"  # WhiteNoise warns when it does not exist
STATIC_ROOT.mkdir()
# No manifest and no compression: templates resolve {% static %} without collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
