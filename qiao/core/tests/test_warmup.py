"""A web process loads its view modules and translation catalogues before it serves, so that
they are frozen with the search state instead of walked by every full garbage collection."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

# In a fresh interpreter: this test process has long imported everything.
PROBE = """
import json, sys
import django
django.setup()
from django.utils.translation import trans_real
from qiao.core.warmup import load_request_code

def state():
    catalogues = sorted(trans_real._translations)
    return {"views": "qiao.api.views" in sys.modules, "catalogues": catalogues}

before = state()
load_request_code()
print(json.dumps({"before": before, "after": state()}))
"""


def test_view_modules_and_every_catalogue_are_loaded_before_serving() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qiao.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])

    languages = {code for code, _ in settings.LANGUAGES}
    assert not seen["before"]["views"]
    assert not set(seen["before"]["catalogues"]) >= languages
    assert seen["after"]["views"]
    assert set(seen["after"]["catalogues"]) >= languages
