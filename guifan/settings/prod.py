"""Production: every secret comes from the environment."""

from __future__ import annotations

import os

from guifan.settings.base import *  # noqa: F403

SECRET_KEY = os.environ["GUIFAN_SECRET_KEY"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
