from __future__ import annotations

from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "guifan.apps.hall"
    label = "hall"
    verbose_name = "营业厅"

    def ready(self) -> None:
        from guifan.apps.hall import (  # noqa: F401 - ADR 0028
            appointments,
            mobile_queue,
            monitor,
        )
