from __future__ import annotations

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "guifan.apps.knowledge"
    label = "knowledge"
    verbose_name = "故障知识库"
