"""The production secret key: from the environment, long, and never one written in this repo."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
# Every key string that guifan/settings/*.py contains (dev and test). Anyone can sign a
# session or a customer link with these; tests/test_settings_prod.py fails when a settings
# file gains a key string that is not listed here.
REPO_KEYS = frozenset({"dev-only-not-secret", "test-only-not-secret"})


def production_secret_key(value: str) -> str:
    """``value`` if it may sign production sessions and links; ImproperlyConfigured otherwise."""
    how = (
        "Set GUIFAN_SECRET_KEY to a random string of at least 50 characters, e.g. "
        'python -c "import secrets; print(secrets.token_urlsafe(64))".'
    )
    if not value:
        raise ImproperlyConfigured(f"GUIFAN_SECRET_KEY is not set. {how}")
    if value in REPO_KEYS:
        raise ImproperlyConfigured(
            f"GUIFAN_SECRET_KEY is a key from the guifan repository, known to anyone. {how}"
        )
    if len(value) < MIN_LENGTH or len(set(value)) < 5 or value.startswith("django-insecure"):
        raise ImproperlyConfigured(f"GUIFAN_SECRET_KEY is too short or too simple. {how}")
    return value
