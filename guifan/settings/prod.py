"""Production: every secret comes from the environment, and unsafe settings refuse to start.

The default of ``guifan.wsgi`` and ``manage.py``. ``guifan manage check --deploy`` is clean with
the defaults; behind a TLS-terminating reverse proxy see the README's Deployment section.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from guifan.settings.base import *  # noqa: F403
from guifan.settings.keys import production_secret_key


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in ("1", "true", "yes", "on")


if env_flag("GUIFAN_DEBUG", False):
    raise ImproperlyConfigured(
        "GUIFAN_DEBUG asks for DEBUG, which production settings refuse: tracebacks and URL "
        "lists would be shown to anyone. Unset GUIFAN_DEBUG, or use guifan.settings.dev locally."
    )
DEBUG = False
if os.environ.get("GUIFAN_CLOCK_AT") or os.environ.get("GUIFAN_CLOCK_SINCE"):
    raise ImproperlyConfigured(
        "GUIFAN_CLOCK_AT moves the product's clock (guifan serve --demo), which production "
        "settings refuse: every deadline and norm check would run on a false time. Unset "
        "GUIFAN_CLOCK_AT and GUIFAN_CLOCK_SINCE, or use guifan.settings.dev locally."
    )
SECRET_KEY = production_secret_key(os.environ.get("GUIFAN_SECRET_KEY", ""))
# Rotating the key (docs/operations.md): the new key signs, the old ones named here (space-
# separated) still verify sessions, customer links and device cookies until they expire.
SECRET_KEY_FALLBACKS = [
    production_secret_key(key) for key in os.environ.get("GUIFAN_SECRET_KEY_FALLBACKS", "").split()
]

# TLS. A proxy that terminates TLS and redirects/sets HSTS itself may switch these off
# (GUIFAN_SECURE_SSL_REDIRECT=0, GUIFAN_HSTS_SECONDS=0); then it must send the header named in
# GUIFAN_SECURE_PROXY_SSL_HEADER (overwriting any the client sent), or Django sees plain HTTP.
SECURE_SSL_REDIRECT = env_flag("GUIFAN_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("GUIFAN_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("GUIFAN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("GUIFAN_HSTS_PRELOAD", True)
_proxy_header = os.environ.get("GUIFAN_SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    # "X-Forwarded-Proto" -> ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Static files (ADR 0030): `guifan manage collectstatic --noinput` before the server starts
# writes each file under a name carrying its content hash (cached for a year) with brotli and
# gzip copies beside it; WhiteNoise serves only those collected files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# Every line carries the request id ("-" outside a request: worker, CLI), the one the proxy
# logged and the client got in X-Request-ID; GUIFAN_ACCESS_LOG=1 adds one line per request
# (guifan.accesslog, wrapped around the ASGI application).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "guifan.accesslog.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s rid=%(request_id)s %(name)s: %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {
        "console": {
            "class": "guifan.accesslog.WatchedStreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "loggers": {
        "guifan": {"handlers": ["console"], "level": "WARNING"},
        "guifan.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # 4xx answers are part of the API contract, not server trouble.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
