"""Local development and the demo: SQLite under var/ unless DATABASE_URL is set."""

from __future__ import annotations

import os

from guifan.settings.base import *  # noqa: F403

DEBUG = os.environ.get("GUIFAN_DEBUG", "1") == "1"
# A development-only key; production must set GUIFAN_SECRET_KEY (see prod.py).
SECRET_KEY = os.environ.get("GUIFAN_SECRET_KEY") or "dev-only-not-secret"
# ``guifan serve --demo``: the clock reads GUIFAN_CLOCK_AT (an ISO instant with its offset) at
# the real instant GUIFAN_CLOCK_SINCE (default: process start) and runs on in real time.
GUIFAN_CLOCK_AT = os.environ.get("GUIFAN_CLOCK_AT", "")
GUIFAN_CLOCK_SINCE = os.environ.get("GUIFAN_CLOCK_SINCE", "")
