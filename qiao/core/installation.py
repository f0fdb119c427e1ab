"""What an installation must have before it serves anyone: its own secret key and the host
names it answers to.

Imported by qiao.settings before Django is configured, so nothing here may import Django at
module level.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
# Set by `qiao demo` for itself and its worker: a demo on loopback needs no configuration.
DEMO_ENVIRONMENT_VARIABLE = "QIAO_DEMO"


class InsecureProductionError(RuntimeError):
    """Production settings that would make links forgeable or hijackable; the message says
    which variables to set."""


def installation_secret_key(data_dir: Path) -> str:
    """The installation's own random key, created on first use in the data directory.

    Used when QIAO_SECRET_KEY is unset (demo, development, tests): a key that nobody else
    knows, unlike a constant in the source, and stable across restarts so that signed links
    and sessions stay valid. The web process and the worker share it through the file.
    """
    path = data_dir / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        # O_EXCL: when two processes start at once, the first key written wins for both.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key)
    return key


def production_settings_problems(*, debug: bool, environ: Mapping[str, str]) -> list[str]:
    """Why these settings must not serve production (empty: they may). Debug mode and the
    demo are not production."""
    if debug or environ.get(DEMO_ENVIRONMENT_VARIABLE) == "1":
        return []
    problems = []
    if not environ.get("QIAO_SECRET_KEY", "").strip():
        problems.append(
            "QIAO_SECRET_KEY is not set: set it to a long random string, the same for the web "
            'server and the worker (python3 -c "import secrets; print(secrets.token_urlsafe(50))")'
        )
    if not environ.get("QIAO_ALLOWED_HOSTS", "").strip():
        problems.append(
            "QIAO_ALLOWED_HOSTS is not set: set it to the host names of the site, comma-separated "
            "(e.g. qiao.example.org); links in e-mails are built from QIAO_BASE_URL"
        )
    hosts = [h.strip() for h in environ.get("QIAO_ALLOWED_HOSTS", "").split(",")]
    if "*" in hosts:
        problems.append(
            "QIAO_ALLOWED_HOSTS contains '*': name the site's host names instead, so that "
            "requests for other hosts are refused"
        )
    return problems


def refuse_insecure_production() -> None:
    """Stop a production server (qiao serve, the WSGI module, the worker) whose settings
    would use an unknown-to-the-operator key or accept any Host header."""
    from django.conf import settings

    problems = production_settings_problems(debug=settings.DEBUG, environ=os.environ)
    if problems:
        raise InsecureProductionError(
            "Qiao refuses to start in production (QIAO_DEBUG is off and this is not the demo):\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )
