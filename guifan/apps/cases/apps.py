from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "guifan.apps.cases"
    label = "cases"
    verbose_name = "投诉与跟踪"

    def ready(self) -> None:
        # Timer kinds (qa02.recontact, qa02.target, qa03.reply_due, hal08.reply_due) and the
        # receivers of the orders signals (dissatisfied, order_moved).
        # The retention hold on ledger months of orders with unresolved cases (ADR 0038).
        from guifan.apps.cases import hall, receivers, retention_holds, services  # noqa: F401
