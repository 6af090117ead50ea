"""Local development and the demo: SQLite under var/ unless DATABASE_URL is set."""

from __future__ import annotations

import os

from guifan.settings.base import *  # noqa: F403

DEBUG = os.environ.get("GUIFAN_DEBUG", "1") == "1"
# A development-only key; production must set GUIFAN_SECRET_KEY (see prod.py).
SECRET_KEY = os.environ.get("GUIFAN_SECRET_KEY") or "dev-only-not-secret"
