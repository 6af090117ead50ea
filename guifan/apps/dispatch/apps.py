from __future__ import annotations

from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "guifan.apps.dispatch"
    label = "dispatch"
    verbose_name = "调度"

    def ready(self) -> None:
        from guifan.apps.dispatch import timer_handlers

        del timer_handlers  # imported to register its timer kinds
