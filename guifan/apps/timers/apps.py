from __future__ import annotations

from django.apps import AppConfig


class TimersConfig(AppConfig):
    name = "guifan.apps.timers"
    label = "timers"
    verbose_name = "定时器"
