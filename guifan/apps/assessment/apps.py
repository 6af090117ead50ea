from __future__ import annotations

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "guifan.apps.assessment"
    label = "assessment"
    verbose_name = "考核评估"

    def ready(self) -> None:
        from guifan.apps.assessment import readiness, timer_handlers

        readiness.install()
        del timer_handlers  # imported to register its timer kinds
