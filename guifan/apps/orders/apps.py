from __future__ import annotations

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "guifan.apps.orders"
    label = "orders"
    verbose_name = "工单与预约"

    def ready(self) -> None:
        from guifan.apps.orders import (  # noqa: F401 - registers timer kinds and holds
            retention_holds,
            timer_handlers,
        )
