from __future__ import annotations

from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "guifan.apps.dispatch"
    label = "dispatch"
    verbose_name = "调度"
