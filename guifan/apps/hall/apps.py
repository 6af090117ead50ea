from __future__ import annotations

from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "guifan.apps.hall"
    label = "hall"
    verbose_name = "营业厅"
