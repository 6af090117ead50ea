from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "guifan.apps.evaluation"
    label = "evaluation"
    verbose_name = "质检评估"

    def ready(self) -> None:
        from guifan.apps.evaluation import timer_handlers  # noqa: F401 - registers timer kinds
