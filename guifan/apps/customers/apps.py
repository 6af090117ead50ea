from __future__ import annotations

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "guifan.apps.customers"
    label = "customers"
    verbose_name = "客户"
