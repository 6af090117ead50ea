"""Lazy Django setup for the CLI commands that need the database."""

from __future__ import annotations

import os


def setup(settings: str = "guifan.settings.dev") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()
