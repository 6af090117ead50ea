"""The seed articles of data/articles.json (re-run later with the knowledge_load service)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from guifan.apps.knowledge.seed import seed_load
from guifan.clock import now


def forwards(apps: Any, schema_editor: Any) -> None:
    seed_load(apps, at=now())


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
