"""Tests: SQLite in a temp file, or PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from guifan.settings.base import *  # noqa: F403
from guifan.settings.base import database_from_env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
DATABASES = {
    "default": database_from_env(Path(tempfile.gettempdir()) / f"guifan-test-{os.getpid()}.sqlite3")
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not the shared-cache in-memory default: the browser tests' live server thread
    # writes beside the test thread, and shared-cache SQLite locks whole tables.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"guifan-testdb-{os.getpid()}.sqlite3")
    }
# Bearer-token failures are counted per address in the process-wide cache, which every test
# shares: only the throttling tests (tests/apps/accounts) apply the real rate.
GUIFAN_TOKEN_FAILURE_RATE = "1000000/d"
