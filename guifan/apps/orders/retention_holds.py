"""Ledger months that still describe an order not yet archived are kept (ADR 0038)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.audit.models import AuditEntry
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.retention import retention_hold_register
from guifan.apps.orders.choices import Status
from guifan.apps.orders.models import OrderEvent, WorkOrder

FINAL = (Status.CLOSED, Status.CANCELLED)
LIST = 1000  # enough to say why; the refusal does not need every order


@retention_hold_register
def open_orders(cursor: Any, table: str, lo: dt.datetime, hi: dt.datetime) -> list[str]:
    if table == "norms_normcheck":
        rows = NormCheck.objects.filter(at__gte=lo, at__lt=hi, order__isnull=False)
        ids = rows.exclude(order__status__in=FINAL).values_list("order_id", flat=True).distinct()
    elif table == "orders_orderevent":
        events = OrderEvent.objects.filter(at__gte=lo, at__lt=hi)
        ids = events.exclude(order__status__in=FINAL).values_list("order_id", flat=True).distinct()
    elif table == "audit_auditentry":
        open_ids = WorkOrder.objects.exclude(status__in=FINAL).values_list("id", flat=True)
        about = AuditEntry.objects.filter(
            at__gte=lo, at__lt=hi, object_type="orders.workorder"
        ).values_list("object_id", flat=True)
        ids = [int(i) for i in about.distinct() if i.isdigit()]
        ids = list(open_ids.filter(id__in=ids))
    else:
        return []
    held = sorted(ids[:LIST])
    if not held:
        return []
    count = f"{LIST} 张以上" if len(held) >= LIST else f"{len(held)} 张"
    return [f"工单未归档：{count}（如 {'、'.join(str(i) for i in held[:5])}）"]
