"""The servers reach PostgreSQL through a connection pool; tests and SQLite do not (ADR 0011)."""

from __future__ import annotations

from pathlib import Path

from guifan.settings.base import database_from_env

PG = "postgres://postgres@127.0.0.1:5432/guifan"


def test_the_servers_take_postgresql_connections_from_a_pool(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", PG)
    monkeypatch.setenv("GUIFAN_DB_POOL_SIZE", "6")
    db = database_from_env(Path("unused.sqlite3"), pool=True)
    assert db["CONN_MAX_AGE"] == 0  # Django refuses a pool beside persistent connections
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 6, "timeout": 10}


def test_without_a_pool_postgresql_connections_persist(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", PG)
    db = database_from_env(Path("unused.sqlite3"))
    assert db["CONN_MAX_AGE"] == 60 and "pool" not in db.get("OPTIONS", {})


def test_sqlite_is_never_pooled(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = database_from_env(Path("x.sqlite3"), pool=True)
    assert db["ENGINE"].endswith("sqlite3") and "pool" not in db["OPTIONS"]
