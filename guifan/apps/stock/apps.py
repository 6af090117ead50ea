from __future__ import annotations

from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "guifan.apps.stock"
    label = "stock"
    verbose_name = "备件库存"

    def ready(self) -> None:
        # timer kinds, and the receiver of the orders' signal (a cancellation frees its parts).
        from guifan.apps.stock import receivers, timer_handlers  # noqa: F401
