"""The ASGI server reaches PostgreSQL through a connection pool; the rest does not (ADR 0011)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from guifan.settings.base import database_from_env

PG = "postgres://postgres@127.0.0.1:5432/guifan"


def test_a_pool_replaces_persistent_postgresql_connections(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", PG)
    monkeypatch.setenv("GUIFAN_DB_POOL_SIZE", "6")
    db = database_from_env(Path("unused.sqlite3"), pool=True)
    assert db["CONN_MAX_AGE"] == 0  # Django refuses a pool beside persistent connections
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 6, "timeout": 10}
    # Django asks the pool to check a connection before lending it only with health checks.
    assert db["CONN_HEALTH_CHECKS"] is True


def test_without_a_pool_postgresql_connections_persist(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", PG)
    db = database_from_env(Path("unused.sqlite3"))
    assert db["CONN_MAX_AGE"] == 60 and "pool" not in db.get("OPTIONS", {})


def test_behind_pgbouncer_connections_close_and_cursors_stay_client_side(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:6432/guifan")
    db = database_from_env(Path("unused.sqlite3"), pgbouncer=True)
    assert db["CONN_MAX_AGE"] == 0 and db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "pool" not in db["OPTIONS"]


def test_sqlite_is_never_pooled(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = database_from_env(Path("x.sqlite3"), pool=True)
    assert db["ENGINE"].endswith("sqlite3") and "pool" not in db["OPTIONS"]


def test_the_asgi_entry_point_runs_production_settings_with_a_pool():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUIFAN_"))}
    env |= {"DATABASE_URL": PG, "GUIFAN_SECRET_KEY": secrets.token_urlsafe(40)}
    probe = (
        "import guifan.asgi; from django.conf import settings as s; "
        "print(s.SETTINGS_MODULE, s.DATABASES['default']['OPTIONS']['pool']['max_size'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.stdout.split() == ["guifan.settings.prod", "10"], out.stderr
