"""The demo's migrated template: kept under the code's hash, copied only for the same hash."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
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


def _guifan(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["GUIFAN_VAR_DIR"] = str(tmp)
    cmd = [sys.executable, "-m", "guifan", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.slow
@pytest.mark.usefixtures("sqlite_db")  # SQLite's behaviour: once, in the SQLite suite
def test_the_readmes_migrate_keeps_the_template_its_first_demo_copies(tmp_path: Path) -> None:
    """``guifan manage migrate`` of a fresh SQLite database (the README's first command) keeps
    it as the demo's template; the demo after it copies instead of migrating."""
    done = _guifan(tmp_path, "manage", "migrate")
    assert done.returncode == 0, done.stderr[-2000:]
    kept = list(tmp_path.glob("demo-schema-*.sqlite3"))
    assert len(kept) == 1 and {"orders_workorder", "django_migrations"} <= tables(kept[0])
    assert "orders_workorder" in tables(tmp_path / "guifan.sqlite3")
    stamp = kept[0].stat().st_mtime_ns
    again = _guifan(tmp_path, "manage", "migrate")  # not a fresh database: nothing kept
    assert again.returncode == 0 and kept[0].stat().st_mtime_ns == stamp
    out = str(tmp_path / "out")
    demo = _guifan(tmp_path, "demo", "--seed", "5", "--orders", "3", "-v", "--out", out)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "迁移：复制已迁移的空库" in demo.stdout and "Applying" not in demo.stdout
