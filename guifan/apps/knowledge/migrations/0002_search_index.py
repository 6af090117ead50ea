"""The full-text index under ArticleIndex: FTS5 on SQLite, a tsvector + GIN on PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from guifan.apps.knowledge import engine


def forwards(apps: Any, schema_editor: Any) -> None:
    engine.install(schema_editor.connection)


def backwards(apps: Any, schema_editor: Any) -> None:
    engine.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
