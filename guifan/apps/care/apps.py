from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "guifan.apps.care"
    label = "care"
    verbose_name = "定期上门关怀"

    def ready(self) -> None:
        from guifan.apps.care import timer_handlers  # noqa: F401 - registers timer kinds
