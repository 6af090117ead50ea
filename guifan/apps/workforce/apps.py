from __future__ import annotations

from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "guifan.apps.workforce"
    label = "workforce"
    verbose_name = "装维队伍"
