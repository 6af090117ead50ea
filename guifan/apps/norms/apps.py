from __future__ import annotations

from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "guifan.apps.norms"
    label = "norms"
    verbose_name = "规范与参数"
