from __future__ import annotations

from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "guifan.apps.hall"
    label = "hall"
    verbose_name = "营业厅"

    def ready(self) -> None:
        from guifan.apps.hall import monitor  # noqa: F401 - register timer kinds
