"""``python -m guifan manage knowledge_load``: load data/articles.json again after editing it
(new articles created, changed ones rewritten with a new version; idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guifan.apps.knowledge.services import knowledge_load


class Command(BaseCommand):
    help = "Load the knowledge base's seed articles (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = knowledge_load()
        self.stdout.write(f"{changed} article(s) created or changed")
