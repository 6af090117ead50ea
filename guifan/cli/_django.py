"""Lazy Django setup for the CLI commands that need the database.

The CLI is the developer's and the demo's tool, so it chooses the development settings
explicitly, unless DJANGO_SETTINGS_MODULE names others: a deployment exports
DJANGO_SETTINGS_MODULE=guifan.settings.prod for ``guifan worker`` and ``guifan manage``
(see the README's Deployment section). The servers' entry points (``guifan.wsgi``,
``manage.py``) default to production instead.
"""

from __future__ import annotations

import os

DEV = "guifan.settings.dev"


def setup(settings: str = DEV) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()
