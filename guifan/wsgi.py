"""The WSGI entry point (``gunicorn guifan.wsgi``): production settings unless told otherwise."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from guifan.heap import heap_freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.prod")
application = get_wsgi_application()
heap_freeze()  # full garbage collections skip the start-up heap (ADR 0031)
