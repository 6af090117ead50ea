from __future__ import annotations

from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "guifan.apps.norms"
    label = "norms"
    verbose_name = "规范与参数"

    def ready(self) -> None:
        from guifan.apps.norms import retention  # noqa: F401 - the partitions.maintain timer
        from guifan.apps.norms.models import NormParameter
        from guifan.apps.norms.selectors import MEMO
        from guifan.requestmemo import memo_forget_on

        memo_forget_on(NormParameter, MEMO)
