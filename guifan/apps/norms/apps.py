from __future__ import annotations

from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "guifan.apps.norms"
    label = "norms"
    verbose_name = "规范与参数"

    def ready(self) -> None:
        from guifan.apps.norms import retention  # noqa: F401 - the partitions.maintain timer
