"""The WSGI application for servers other than `qiao serve` (which uses the same check)."""

import os

from django.core.wsgi import get_wsgi_application

from qiao.core.installation import refuse_insecure_production
from qiao.core.warmup import load_request_code

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiao.settings")
application = get_wsgi_application()
refuse_insecure_production()
load_request_code()
