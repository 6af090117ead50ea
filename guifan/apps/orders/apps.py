from __future__ import annotations

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "guifan.apps.orders"
    label = "orders"
    verbose_name = "工单与预约"
