from __future__ import annotations

from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "guifan.apps.stock"
    label = "stock"
    verbose_name = "备件库存"

    def ready(self) -> None:
        from guifan.apps.stock import timer_handlers  # noqa: F401 - registers timer kinds
