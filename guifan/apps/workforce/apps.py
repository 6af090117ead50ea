from __future__ import annotations

from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "guifan.apps.workforce"
    label = "workforce"
    verbose_name = "装维队伍"

    def ready(self) -> None:
        from guifan.apps.workforce.access import MEMO
        from guifan.apps.workforce.models import DispatcherArea
        from guifan.requestmemo import memo_forget_on

        memo_forget_on(DispatcherArea, MEMO)
