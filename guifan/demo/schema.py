"""The demo's empty, migrated SQLite database, kept between runs as a template (ADR 0036).

Migrating a fresh database runs every migration of the project and of Django's apps: several
seconds of each demo. The first demo keeps a copy of its database as it stands right after
``migrate`` (no row of the day yet) under ``var/``, named by a hash of everything the
migrations can read: the source of the ``guifan`` package, the migration files of every
installed app and Django's version. A later demo with the same hash copies the template
instead of migrating; any change to the code or to an installed app gives a new name, so a
stale template is never used (and the old ones are removed).

``guifan manage migrate`` of a fresh SQLite database under the development settings (the
README's first command migrates ``var/guifan.sqlite3`` just before its demo) keeps that
database as the template too, right after its migrations: it is the same schema and the same
rows the demo's own migrate would make, so even the first demo copies instead of migrating.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import django

import guifan
from guifan.demo.live import database_copy, snapshot_take

PREFIX = "demo-schema-"


def schema_key() -> str:
    """A hash of the code and migrations that shape the migrated database."""
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    root = Path(guifan.__file__).parent
    files = {
        str(p.relative_to(root.parent)): p
        for p in root.rglob("*")
        if p.suffix in (".py", ".json") and p.is_file()
    }
    for app in apps.get_app_configs():
        folder = Path(app.path) / "migrations"
        if folder.is_dir() and not folder.is_relative_to(root):
            files |= {f"{app.label}/migrations/{p.name}": p for p in folder.glob("*.py")}
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def template_path(folder: Path, key: str) -> Path:
    return folder / f"{PREFIX}{key}.sqlite3"


def template_copy(folder: Path, database: Path) -> bool:
    """Copy the template matching the code to ``database`` (fresh); False if there is none.

    Call after Django's setup and before its first connection to ``database``.
    """
    source = template_path(folder, schema_key())
    if not source.is_file():
        return False
    database_copy(source, database)
    return True


def template_keep(folder: Path) -> Path:
    """Keep the just-migrated demo database as the template for the code as it is now."""
    key = schema_key()
    target = template_path(folder, key)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    snapshot_take(partial)
    os.replace(partial, target)
    # Other code's templates go, with the -wal/-shm files SQLite may have left beside them.
    for old in folder.glob(f"{PREFIX}*"):
        if not old.name.startswith(target.name):
            old.unlink(missing_ok=True)
    return target


def fresh_sqlite() -> bool:
    """The default database is SQLite under the development settings and has no table yet."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite" or settings.SETTINGS_MODULE != "guifan.settings.dev":
        return False
    return not connection.introspection.table_names()


def template_keep_if_migrated(folder: Path) -> Path | None:
    """Keep the default database as the template when every migration is applied (a
    ``migrate`` to an earlier migration leaves a schema the demo cannot use)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return None
    return template_keep(folder)
