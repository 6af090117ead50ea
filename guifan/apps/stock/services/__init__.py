"""Stock services: the one path used by the API, the pages, the worker and the demo."""

from __future__ import annotations

from guifan.apps.stock.services.ledger import LedgerCheck, stock_ledger_verify, stock_receive
from guifan.apps.stock.services.loaners import bring_back_receipt_issue, bring_back_return
from guifan.apps.stock.services.requisitions import (
    Need,
    part_revisits,
    requisition_issue,
    requisition_raise,
    requisition_release,
    requisition_return,
    visit_part_missing,
)
from guifan.apps.stock.services.seed import CATALOG, LOANERS_PER_AREA, stock_seed_for_area

__all__ = [
    "CATALOG",
    "LOANERS_PER_AREA",
    "LedgerCheck",
    "Need",
    "bring_back_receipt_issue",
    "bring_back_return",
    "part_revisits",
    "requisition_issue",
    "requisition_raise",
    "requisition_release",
    "requisition_return",
    "stock_ledger_verify",
    "stock_receive",
    "stock_seed_for_area",
    "visit_part_missing",
]
