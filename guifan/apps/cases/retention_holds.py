"""Ledger months about an unresolved complaint or dispute are kept (ADR 0038)."""

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


def _unresolved() -> Any:
    # Open cases, and disputes not yet confirmed resolved: either may need the visit's steps
    # and checks as evidence.
    return Case.objects.filter(
        Q(status=CaseStatus.OPEN) | (Q(dispute=True) & ~Q(status=CaseStatus.RESOLVED))
    )


@retention_hold_register
def unresolved_cases(cursor: Any, table: str, lo: dt.datetime, hi: dt.datetime) -> list[str]:
    cases = _unresolved()
    orders = cases.filter(order__isnull=False).values("order_id")
    ids: list[Any]
    if table == "norms_normcheck":
        checks = NormCheck.objects.filter(at__gte=lo, at__lt=hi, order_id__in=orders)
        ids = list(checks.order_by().values_list("order_id", flat=True).distinct()[:LIST])
    elif table == "orders_orderevent":
        events = OrderEvent.objects.filter(at__gte=lo, at__lt=hi, order_id__in=orders)
        ids = list(events.order_by().values_list("order_id", flat=True).distinct()[:LIST])
    elif table == "audit_auditentry":
        case_ids = [str(i) for i in cases.values_list("id", flat=True)[:LIST]]
        about = AuditEntry.objects.filter(
            at__gte=lo, at__lt=hi, object_type="cases.case", object_id__in=case_ids
        )
        n = about.values("object_id").distinct().count()
        return [f"投诉未办结：{n} 件的审计记录在本月"] if n else []
    else:
        return []
    if not ids:
        return []
    shown = "、".join(str(i) for i in sorted(ids)[:5])
    return [f"投诉或争议未办结：涉及工单 {len(ids)} 张（如 {shown}）"]
