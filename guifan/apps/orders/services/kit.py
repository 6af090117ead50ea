"""The pre-departure kit check (DSP-06): the technician ticks the checklist, then sets off.

The checklist comes from the catalog (``five_ones``, ``forms``, ``vehicle_check``) plus what
the order needs: tools and instruments, the materials of each product line, spares for a
repair. ``depart`` is refused until a complete check of the order has been recorded on the
day; the refused attempt is recorded as DSP-06 broken, a departure after it as kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import OrderKind, ServiceType, Status
from guifan.apps.orders.models import KitCheck, WorkOrder
from guifan.apps.orders.services.records import order_lock, verdict_record
from guifan.apps.orders.services.refusals import Refused
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, ValidationFailed
from guifan.norms import NormSet, Verdict
from guifan.norms.reasons import reason

CHECKABLE = (Status.SCHEDULED, Status.DISPATCHED)


# The catalog's kit names (seed 000's English rendering) as the technician reads them.
KIT_WORDS = {
    "shoe covers": "鞋套",
    "cloth": "抹布",
    "ground mat": "垫布",
    "rubbish bag": "垃圾袋",
    "service record form": "服务记录表",
    "agreement": "协议",
    "invoice / receipt": "发票/收据",
    "user manual": "使用手册",
    "gifts": "赠品",
}


def kit_label(key: str) -> str:
    """A ``group:item`` key in Chinese: materials by product, catalog names translated."""
    group, _, item = key.partition(":")
    if group == "materials":
        return f"{ServiceType(item).label}材料" if item in ServiceType.values else f"{item}材料"
    return KIT_WORDS.get(item, item)


def kit_items(order: WorkOrder, *, ns: NormSet | None = None) -> list[str]:
    """The checklist for ``order``: ``group:item`` keys, catalog items first."""
    ns = ns or norms_snapshot()
    items = ["tools:工具仪表"]
    items += [f"materials:{product}" for product in order.product_lines]
    if order.kind == OrderKind.REPAIR:
        items.append("spares:修障备件")
    items += [f"five_ones:{name}" for name in ns.param("DSP-06", "five_ones")]
    items += [f"forms:{name}" for name in ns.param("DSP-06", "forms")]
    if ns.param("DSP-06", "vehicle_check") is True:
        items.append("vehicle:车辆检查")
    return items


@transaction.atomic
def kit_check_record(
    *, order_id: int, items: dict[str, Any], expected_version: int | None, by: User | None
) -> KitCheck:
    """Record the ticked checklist; an incomplete one is kept too (it says what is missing)."""
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    if order.status not in CHECKABLE:
        raise Conflict(
            "kit.state",
            f"工单状态为 {order.get_status_display()}，无须出发前自检",
            field="version",
            extra={"version": order.version, "status": order.status},
        )
    required = kit_items(order)
    unknown = [k for k in items if k not in required]
    if unknown:
        raise ValidationFailed(
            "kit.unknown_item", f"清单中没有 {unknown[0]!r}", field=f"items.{unknown[0]}"
        )
    ticked = {k: bool(v) for k, v in items.items()}
    missing = [k for k in required if not ticked.get(k)]
    check = KitCheck.objects.create(
        order=order, at=clock_now(), by=by, items=ticked, missing=missing, complete=not missing
    )
    audit_record(
        actor=by,
        action="order.kit_check",
        obj=check,
        before={},
        after={"complete": check.complete, "missing": missing},
    )
    return check


def kit_check_latest(order: WorkOrder, day: dt.date) -> KitCheck | None:
    """The order's last check recorded on ``day`` (local), if any."""
    for check in order.kit_checks.order_by("-at", "-id"):
        if local(check.at).date() == day:
            return check
        if local(check.at).date() < day:
            return None
    return None


def kit_departure_check(order: WorkOrder, *, at: dt.datetime, by: User | None) -> None:
    """DSP-06 at departure: refused (and recorded) without today's complete check."""
    check = kit_check_latest(order, local(at).date())
    if check is None or not check.complete:
        missing = kit_items(order) if check is None else list(check.missing)
        raise Refused(
            "kit.incomplete",
            f"出发前自检未完成，缺：{'、'.join(kit_label(m) for m in missing)}",
            rule="DSP-06",
            field="kit_check",
            order_id=order.id,
            by=by,
            missing=missing,
        )
    verdict_record(order, Verdict.keep("DSP-06", reason("dsp06.kit_complete")), at=at, by=by)
