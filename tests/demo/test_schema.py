"""The demo's migrated template: kept under the code's hash, copied only for the same hash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from guifan.demo import schema
from guifan.settings.base import database_from_env

# The template is taken outside any transaction, as the demo takes it right after migrate.
pytestmark = pytest.mark.django_db(transaction=True)


def tables(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        db.close()
    return {name for (name,) in rows}


@pytest.fixture
def sqlite_db() -> None:
    """The template is a SQLite file taken from the demo's SQLite database (the demo runs on
    SQLite unless GUIFAN_DEMO_DATABASE_URL names another, and then keeps no template); the
    PostgreSQL run of the suite has no SQLite connection to take it from."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the demo's template is a SQLite file; this runs in the SQLite suite")


@pytest.mark.usefixtures("sqlite_db")
def test_a_kept_template_is_copied_for_the_same_code(tmp_path: Path) -> None:
    kept = schema.template_keep(tmp_path)
    assert kept == schema.template_path(tmp_path, schema.schema_key())
    target = tmp_path / "demo.sqlite3"
    target.write_bytes(b"an earlier demo's day")
    assert schema.template_copy(tmp_path, target) is True
    assert {"orders_workorder", "django_migrations"} <= tables(target)


@pytest.mark.usefixtures("sqlite_db")
def test_no_template_of_other_code_is_used_and_old_ones_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "schema_key", lambda: "old")
    schema.template_keep(tmp_path)
    monkeypatch.undo()
    for sidecar in ("-wal", "-shm"):  # left by a run that was killed with it open
        (tmp_path / f"demo-schema-old.sqlite3{sidecar}").write_bytes(b"")
    target = tmp_path / "demo.sqlite3"
    assert schema.template_copy(tmp_path, target) is False
    assert not target.exists()
    schema.template_keep(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"demo-schema-{schema.schema_key()}.sqlite3"]


def test_the_sqlite_sync_level_is_one_of_three(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GUIFAN_SQLITE_SYNCHRONOUS", "OFF")
    assert "synchronous=OFF" in database_from_env(Path("x"))["OPTIONS"]["init_command"]
    monkeypatch.setenv("GUIFAN_SQLITE_SYNCHRONOUS", "OFF; DROP TABLE x")
    with pytest.raises(ValueError, match="GUIFAN_SQLITE_SYNCHRONOUS"):
        database_from_env(Path("x"))
