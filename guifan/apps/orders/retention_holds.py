"""Ledger months that still describe an order not yet archived are kept (ADR 0038)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.audit.models import AuditEntry
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.retention import retention_hold_register
from guifan.apps.orders.choices import Status
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.textinput import whole_number

FINAL = (Status.CLOSED, Status.CANCELLED)
LIST = 1000  # enough to say why; the refusal does not need every order


def _held(table: str, lo: dt.datetime, hi: dt.datetime) -> list[int]:
    if table == "norms_normcheck":
        checks = NormCheck.objects.filter(at__gte=lo, at__lt=hi, order__isnull=False)
        checks = checks.exclude(order__status__in=FINAL)
        return [
            i for i in checks.order_by().values_list("order_id", flat=True).distinct()[:LIST] if i
        ]
    if table == "orders_orderevent":
        events = OrderEvent.objects.filter(at__gte=lo, at__lt=hi)
        events = events.exclude(order__status__in=FINAL)
        return list(events.order_by().values_list("order_id", flat=True).distinct()[:LIST])
    if table == "audit_auditentry":
        about = AuditEntry.objects.filter(at__gte=lo, at__lt=hi, object_type="orders.workorder")
        ids = about.values_list("object_id", flat=True).distinct()
        named = [n for i in ids if (n := whole_number(i)) is not None]
        still_open = WorkOrder.objects.exclude(status__in=FINAL).filter(id__in=named)
        return list(still_open.values_list("id", flat=True)[:LIST])
    return []


@retention_hold_register
def open_orders(cursor: Any, table: str, lo: dt.datetime, hi: dt.datetime) -> list[str]:
    held = sorted(_held(table, lo, hi))
    if not held:
        return []
    count = f"{LIST} 张以上" if len(held) >= LIST else f"{len(held)} 张"
    return [f"工单未归档：{count}（如 {'、'.join(str(i) for i in held[:5])}）"]
