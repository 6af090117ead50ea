"""Settings shared by every environment. Environment variables are read only here."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GUIFAN_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("GUIFAN_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [
    h for h in os.environ.get("GUIFAN_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "django_tasks",
    "guifan.apps.web.thirdparty.Tasks",  # django_tasks_db, named for the admin
    "guifan.apps.web.thirdparty.Axes",  # django-axes, named for the admin
    "guifan.apps.accounts",
    "guifan.apps.norms",
    "guifan.apps.audit",
    "guifan.apps.workforce",
    "guifan.apps.customers",
    "guifan.apps.orders",
    "guifan.apps.timers",
    "guifan.apps.dispatch",
    "guifan.apps.compliance",
    "guifan.apps.hall",
    "guifan.apps.fieldwork",
    "guifan.apps.care",
    "guifan.apps.knowledge",
    "guifan.apps.stock",
    "guifan.apps.stars",
    "guifan.apps.callcentre",
    "guifan.apps.evaluation",
    "guifan.apps.cases",
    "guifan.apps.assessment",
    "guifan.apps.web",
    "guifan.apps.web.board",
    "guifan.apps.web.field",
    "guifan.apps.web.links",
    "guifan.apps.web.quality",
    "guifan.apps.web.hall",
    "guifan.apps.web.care",
    "guifan.apps.web.stock",
    "guifan.apps.web.callcentre",
    "guifan.apps.web.evaluation",
    "guifan.apps.web.cases",
    "guifan.apps.web.scorecards",
]

MIDDLEWARE = [
    "guifan.requestid.RequestIdMiddleware",
    "guifan.textinput.TextInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (WhiteNoise, one year for hashed names), then gzip for the pages and the
    # API's JSON but not event streams (ADR 0030): below WhiteNoise, which compresses its own.
    "guifan.compression.StaticFilesMiddleware",
    "guifan.compression.GZipPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guifan.apps.web.language.ChosenLanguageOnlyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# axes first: it refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "guifan.urls"
WSGI_APPLICATION = "guifan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "guifan.apps.web.context.web",
            ]
        },
    }
]


def database_from_env(
    default_sqlite: Path, *, pool: bool = False, pgbouncer: bool = False
) -> dict[str, Any]:
    """DATABASE_URL, else SQLite at ``default_sqlite``; ``pool``: PostgreSQL through a pool in
    the process; ``pgbouncer``: DATABASE_URL names a PgBouncer in transaction mode."""
    url = os.environ.get("DATABASE_URL")
    if url:
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        if str(db["ENGINE"]).endswith("postgresql"):
            # A database that does not answer fails fast (/api/v1/health says 503) instead of
            # holding the request for the driver's default of minutes.
            db["OPTIONS"] = {"connect_timeout": 3, **db.get("OPTIONS", {})}
            # A connection the server closed (restart, failover, pg_terminate_backend) is
            # checked before use and replaced, instead of failing one request with a 500 per
            # dead connection (the pool lends it unchecked otherwise; bench/faults.py --fault db).
            db["CONN_HEALTH_CHECKS"] = True
        if pool and db["ENGINE"].endswith("postgresql"):
            # Under ASGI every request runs its sync code in a thread of its own, so a
            # persistent connection per thread would be a new connection per request; a
            # pool lends a few connections around instead (ADR 0011).
            size = int(os.environ.get("GUIFAN_DB_POOL_SIZE", "10"))
            db["CONN_MAX_AGE"] = 0
            db["OPTIONS"] = {
                **db.get("OPTIONS", {}),
                "pool": {"min_size": min(2, size), "max_size": size, "timeout": 10},
            }
        elif pgbouncer and db["ENGINE"].endswith("postgresql"):
            # PgBouncer keeps the server connections: a connection to it per request is cheap,
            # and it lends a server connection per transaction, which a server-side cursor
            # (QuerySet.iterator) would outlive (ADR 0037).
            db["CONN_MAX_AGE"] = 0
            db["DISABLE_SERVER_SIDE_CURSORS"] = True
        return db
    # WAL lets readers run beside the writer; NORMAL syncs at checkpoints, safe in WAL mode.
    # OFF never syncs: only for a database thrown away after a crash (the demo's, ADR 0036).
    sync = os.environ.get("GUIFAN_SQLITE_SYNCHRONOUS", "NORMAL")
    if sync not in ("NORMAL", "FULL", "OFF"):
        raise ValueError(f"GUIFAN_SQLITE_SYNCHRONOUS must be NORMAL, FULL or OFF, not {sync!r}")
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(default_sqlite),
        # SQLite serialises writers; wait for the lock instead of failing at once.
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={sync};",
        },
    }


DATABASES: dict[str, dict[str, Any]] = {
    "default": database_from_env(
        Path(os.environ.get("GUIFAN_SQLITE_PATH", VAR_DIR / "guifan.sqlite3")),
        # "1": set by guifan/asgi.py; WSGI, the worker and the CLI keep persistent connections.
        # "pgbouncer": the app servers reach PostgreSQL through PgBouncer instead (ADR 0037).
        pool=os.environ.get("GUIFAN_DB_POOL") == "1",
        pgbouncer=os.environ.get("GUIFAN_DB_POOL") == "pgbouncer",
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Each web app keeps its own catalog in <app>/locale (found through INSTALLED_APPS); the
# project's catalog names what the apps taken from others leave in English (the admin's).
LOCALE_PATHS: list[Path] = [BASE_DIR / "guifan" / "locale"]
LANGUAGE_COOKIE_NAME = "guifan_language"

CSRF_FAILURE_VIEW = "guifan.apps.web.errors.csrf_failure"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = 12 * 3600  # one working day

# Map tiles for the dispatcher board: an intranet tile server's URL template
# ("https://tiles.example/{z}/{x}/{y}.png"). Empty: the board draws positions without tiles.
GUIFAN_MAP_TILE_URL = os.environ.get("GUIFAN_MAP_TILE_URL", "")
GUIFAN_MAP_TILE_ATTRIBUTION = os.environ.get("GUIFAN_MAP_TILE_ATTRIBUTION", "")
# Road travel times for dispatch: an OSRM-compatible table service on the intranet
# ("http://osrm.internal:5000"). Empty or unreachable: great-circle times at the area's speed.
GUIFAN_OSRM_URL = os.environ.get("GUIFAN_OSRM_URL", "")
# When the night-before plan of every area starts (local time, the evening before; ADR 0039).
GUIFAN_NIGHT_PLAN_AT = os.environ.get("GUIFAN_NIGHT_PLAN_AT", "22:00")
# The product's clock moved to another moment (guifan.clock.OffsetClock): only the development
# settings read it (GUIFAN_CLOCK_AT, set by ``guifan serve --demo``); production refuses it.
GUIFAN_CLOCK_AT = ""
GUIFAN_CLOCK_SINCE = ""
# Months of partitions kept ready ahead of the current one on the append-only ledgers
# (ADR 0038): an operational margin for a worker that stops, not a norm.
GUIFAN_PARTITION_MONTHS_AHEAD = int(os.environ.get("GUIFAN_PARTITION_MONTHS_AHEAD", "3"))
# Days a settled timer (fired, cancelled, failed) is kept: its effect is recorded in the
# ledgers, the row itself is the worker's bookkeeping (ADR 0038), so a setting, not a norm.
GUIFAN_TIMER_RETENTION_DAYS = int(os.environ.get("GUIFAN_TIMER_RETENTION_DAYS", "400"))
# How long a customer's appointment link stays valid.
GUIFAN_CUSTOMER_LINK_HOURS = int(os.environ.get("GUIFAN_CUSTOMER_LINK_HOURS", "72"))

# How many reverse proxies in front of the app append to X-Forwarded-For (nginx: 1). 0: the
# client is REMOTE_ADDR. Login lock-outs and token throttling count per client address, so
# behind a proxy this must be set or every client shares the proxy's address.
GUIFAN_PROXY_COUNT = int(os.environ.get("GUIFAN_PROXY_COUNT", "0"))

# Web login throttling (django-axes): a username, or an address, with AXES_FAILURE_LIMIT
# failed logins within the cool-off time is locked out (429 page) until the cool-off ends.
# Attempts and lock-outs are listed in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("GUIFAN_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("GUIFAN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "guifan.apps.web.errors.locked_out"
AXES_CLIENT_IP_CALLABLE = "guifan.apps.accounts.addresses.client_address"
# API bearer tokens: failed attempts per client address (guifan/apps/accounts/auth.py).
GUIFAN_TOKEN_FAILURE_RATE = os.environ.get("GUIFAN_TOKEN_FAILURE_RATE", "30/10m")


def origin_of(url: str) -> str | None:
    """The CSP source of a URL template: scheme://host[:port], "{s}" subdomains as "*"."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


# Content-Security-Policy (django-csp): every script and style is a file served by the app, no
# inline script, no eval (htmx's js:/hx-on/[filters] are not used), no inline style (positions
# are set from data attributes through the CSSOM, which CSP allows). Images: the app, the map's
# tile server, and data: for Leaflet's blank tile and Swagger UI's icons.
_TILE_ORIGIN = origin_of(GUIFAN_MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Development and tests serve the apps' static files as they are, without a collectstatic step;
# production settings serve collected, hashed and compressed copies (ADR 0030). No CDN.
WHITENOISE_USE_FINDERS = True

# API bodies larger than this are refused (413) before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Outbound contacts (calls, SMS) go through a pluggable sender.
GUIFAN_CONTACT_SENDER = os.environ.get(
    "GUIFAN_CONTACT_SENDER", "guifan.apps.orders.senders.LocalSender"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "guifan": {"handlers": ["console"], "level": "WARNING"},
        # 4xx answers are part of the API contract, not server trouble.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
