"""The ASGI entry point: the live screens' event streams hold no thread here (ADR 0011)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

from guifan.heap import heap_freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.prod")
# Each ASGI request runs its sync code in a thread of its own: PostgreSQL through a pool.
os.environ.setdefault("GUIFAN_DB_POOL", "1")
application = get_asgi_application()
if os.environ.get("GUIFAN_ACCESS_LOG") == "1":
    # One line per request with its request id (deploy/: uvicorn runs with --no-access-log).
    from guifan.accesslog import AccessLog

    application = AccessLog(application)  # type: ignore[assignment]
heap_freeze()  # full garbage collections skip the start-up heap (ADR 0031)
