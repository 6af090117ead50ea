"""The ASGI entry point: the live screens' event streams hold no thread here (ADR 0011)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.prod")
application = get_asgi_application()
