"""Ledger months about an order with an unresolved case or dispute are kept (ADR 0038)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from guifan.apps.audit.models import AuditEntry
from guifan.apps.cases.models import Case, CaseStatus
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.retention import retention_hold_register
from guifan.apps.orders.models import OrderEvent

LIST = 1000


@retention_hold_register
def unresolved_cases(cursor: Any, table: str, lo: dt.datetime, hi: dt.datetime) -> list[str]:
    # A complaint or dispute still open may need the visit's steps and checks as evidence.
    open_cases = Case.objects.filter(
        Q(status=CaseStatus.OPEN) | (Q(dispute=True) & ~Q(status=CaseStatus.RESOLVED))
    )
    orders = open_cases.filter(order__isnull=False).values("order_id")
    if table == "norms_normcheck":
        rows = NormCheck.objects.filter(at__gte=lo, at__lt=hi, order_id__in=orders)
        ids = list(rows.values_list("order_id", flat=True).distinct()[:LIST])
    elif table == "orders_orderevent":
        rows = OrderEvent.objects.filter(at__gte=lo, at__lt=hi, order_id__in=orders)
        ids = list(rows.values_list("order_id", flat=True).distinct()[:LIST])
    elif table == "audit_auditentry":
        case_ids = [str(i) for i in open_cases.values_list("id", flat=True)[:LIST]]
        about = AuditEntry.objects.filter(
            at__gte=lo, at__lt=hi, object_type="cases.case", object_id__in=case_ids
        )
        ids = list(about.values_list("object_id", flat=True).distinct()[:LIST])
        if ids:
            return [f"投诉未办结：{len(ids)} 件的审计记录在本月"]
        return []
    else:
        return []
    if not ids:
        return []
    return [
        f"投诉或争议未办结：涉及工单 {len(ids)} 张（如 {'、'.join(str(i) for i in sorted(ids)[:5])}）"
    ]
