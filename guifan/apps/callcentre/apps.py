from __future__ import annotations

from django.apps import AppConfig


class CallcentreConfig(AppConfig):
    name = "guifan.apps.callcentre"
    label = "callcentre"
    verbose_name = "回访中心"

    def ready(self) -> None:
        from guifan.apps.callcentre import receivers, timer_handlers  # noqa: F401 - registers
