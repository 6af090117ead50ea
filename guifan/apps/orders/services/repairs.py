"""Escalation before a repair deadline (QA-04) and missing resources (ORD-05)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import OrderKind
from guifan.apps.orders.models import Escalation, ResourceRegister
from guifan.apps.orders.services.records import event_record, order_lock
from guifan.apps.timers.services import timer_schedule
from guifan.clock import now as clock_now
from guifan.errors import Conflict, RuleViolation
from guifan.norms import norm_get


@refusals_remembered
@transaction.atomic
def order_escalate(*, order_id: int, reason_code: str, note: str, by: User | None) -> Escalation:
    """File an escalate-and-report with its reason (QA-04)."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD)
    codes = norm_get("QA-04").param("reason_codes").default
    if reason_code not in codes:
        raise RuleViolation(
            "escalation.reason",
            f"报备原因须为：{'、'.join(codes)}",
            rule="QA-04",
            field="reason_code",
        )
    esc = Escalation.objects.create(order=order, reason_code=reason_code, note=note, filed_at=now)
    event_record(order, action="escalate", at=now, by=by, reason=reason_code)
    return esc


@refusals_remembered
@transaction.atomic
def order_resource_missing(
    *, order_id: int, line: str, port_equipment: str, address: str, by: User | None
) -> ResourceRegister:
    """Register the missing resources and start the notice deadline (ORD-05)."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD)
    if order.kind not in (OrderKind.INSTALL, OrderKind.MOVE):
        raise RuleViolation(
            "resource.kind", "仅装移机工单登记资源缺口", rule="ORD-05", field="order_id"
        )
    for name, value in (("line", line), ("port_equipment", port_equipment), ("address", address)):
        if not value.strip():
            raise RuleViolation(
                "resource.incomplete", f"资源登记缺少 {name}", rule="ORD-05", field=name
            )
    # One register per order; the order's row lock makes this check race-free.
    if ResourceRegister.objects.filter(order=order).exists():
        raise Conflict(
            "resource.already_registered",
            f"工单 {order.number} 已登记资源缺口。",
            rule="ORD-05",
            field="order_id",
        )
    reg = ResourceRegister.objects.create(
        order=order, line=line, port_equipment=port_equipment, address=address, registered_at=now
    )
    hours = norms_snapshot().param("ORD-05", "notify_within_hours")
    timer_schedule(
        kind="ord05.notice_due",
        key=f"ord05:{order.id}",
        due_at=now + dt.timedelta(hours=hours),
        norm_id="ORD-05",
        order_id=order.id,
    )
    event_record(order, action="resource_missing", at=now, by=by, reason=f"{line}/{port_equipment}")
    return reg
