"""Activation from the network side (ORD-09) and what it unlocks (ORD-10).

The provisioning system calls once the line is live. The call is idempotent: an order is
activated once, and a repeat (same key, or another key for the same order) answers with the
first record. ORD-09 is measured on broadband installs (a move's new site is an install):
kept when the only visit's arrival is at most ``max_minutes_arrival_to_activation`` before
activation; a second on-site visit breaks it at that arrival (:func:`visit_count_check`).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record, audit_snapshot
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import OrderKind, ServiceType
from guifan.apps.orders.models import Activation, Appointment, WorkOrder
from guifan.apps.orders.services.records import event_record, order_lock, verdict_record
from guifan.clock import now as clock_now
from guifan.errors import Conflict, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

ACTIVATED_KINDS = (OrderKind.INSTALL, OrderKind.MOVE)


def ord09_applies(order: WorkOrder) -> bool:
    return order.service_type == ServiceType.BROADBAND and order.kind in ACTIVATED_KINDS


def _order_id(order_id: int | None, external_id: str | None) -> int:
    """The order named by id or by the external id it came in with (422 naming the field)."""
    if order_id is not None:
        return order_id
    if not external_id:
        raise ValidationFailed(
            "activation.order_required", "须提供 order_id 或 external_id", field="order_id"
        )
    found = list(WorkOrder.objects.filter(intake_key=external_id).values_list("id", flat=True)[:2])
    if len(found) != 1:
        raise ValidationFailed(
            "activation.unknown_order",
            f"外部工单号 {external_id!r} 不存在或不唯一",
            field="external_id",
        )
    return found[0]


def activation_record(
    *,
    order_id: int | None,
    external_id: str | None,
    line: str,
    key: str,
    activated_at: dt.datetime | None,
    by: User | None,
) -> tuple[Activation, bool]:
    """Record that the order's service is live; ``(activation, created)``.

    A repeat of an activated order returns the first record (``created`` False) whatever its
    key; a key already used for another order is a conflict (409).
    """
    if not key or len(key) > 200:
        raise ValidationFailed(
            "activation.idempotency_key",
            "需要 Idempotency-Key 请求头或 activation_id（≤200 字符）",
            field="Idempotency-Key",
        )
    if not line.strip():
        raise ValidationFailed("activation.line", "须提供开通的线路或账号", field="line")
    target = _order_id(order_id, external_id)
    try:
        return _record(target, line=line.strip(), key=key, activated_at=activated_at, by=by)
    except IntegrityError:
        # A concurrent repeat won the race: answer with its record.
        return _record(target, line=line.strip(), key=key, activated_at=activated_at, by=by)


@transaction.atomic
def _record(
    order_id: int, *, line: str, key: str, activated_at: dt.datetime | None, by: User | None
) -> tuple[Activation, bool]:
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD)
    same_key = Activation.objects.filter(key=key).first()
    if same_key is not None and same_key.order_id != order.id:
        raise Conflict(
            "activation.key_conflict", f"幂等键 {key!r} 已用于另一张工单", field="Idempotency-Key"
        )
    existing = Activation.objects.filter(order=order).first()
    if existing is not None:
        return existing, False
    if order.kind not in ACTIVATED_KINDS:
        raise ValidationFailed(
            "activation.not_install",
            f"{order.get_kind_display()}工单无须开通",
            field="order_id",
            rule="ORD-09",
        )
    at = activated_at or now
    if at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(
            "activation.future", "开通时间不能晚于当前时间", field="activated_at", rule="ORD-09"
        )
    with transaction.atomic():
        activation = Activation.objects.create(
            order=order, key=key, line=line, activated_at=at, recorded_at=now, by=by
        )
    event_record(order, action="activate", at=now, by=by, detail={"line": line})
    audit_record(
        actor=by,
        action="order.activate",
        obj=activation,
        before={},
        after=audit_snapshot(activation),
    )
    _ord09_verdict(order, at, by=by, now=now)
    activation.refresh_from_db()  # the same answer as a repeat's (times as stored)
    return activation, True


def _arrivals(order: WorkOrder) -> list[dt.datetime]:
    return [
        a
        for a in Appointment.objects.filter(order=order, arrived_at__isnull=False)
        .order_by("arrived_at")
        .values_list("arrived_at", flat=True)
        if a is not None
    ]


def _ord09_verdict(
    order: WorkOrder, activated_at: dt.datetime, *, by: User | None, now: dt.datetime
) -> None:
    """Measured from the arrival of the only visit; a second visit was judged at its arrival."""
    if not ord09_applies(order):
        return
    arrivals = _arrivals(order)
    if not arrivals or len(arrivals) > norms_snapshot().minutes("ORD-09", "max_visits"):
        return
    limit = norms_snapshot().minutes("ORD-09", "max_minutes_arrival_to_activation")
    minutes = max(0, int((activated_at - arrivals[0]).total_seconds() // 60))
    verdict = (
        Verdict.keep(
            "ORD-09", reason("ord09.activated_one_visit", minutes=minutes), minutes=minutes
        )
        if minutes <= limit
        else Verdict.broke(
            "ORD-09",
            reason("ord09.activated_late", minutes=minutes, limit=limit),
            minutes=minutes,
        )
    )
    verdict_record(order, verdict, at=now, by=by)


def visit_count_check(order: WorkOrder, *, at: dt.datetime, by: User | None) -> None:
    """ORD-09 at an arrival: a second on-site visit for the same install breaks it."""
    if not ord09_applies(order) or hasattr(order, "activation"):
        return
    visits = len(_arrivals(order))
    allowed = norms_snapshot().minutes("ORD-09", "max_visits")
    if visits > allowed:
        verdict_record(
            order,
            Verdict.broke("ORD-09", reason("ord09.second_visit", visits=visits), visits=visits),
            at=at,
            by=by,
        )


def activation_required_missing(order: WorkOrder) -> str | None:
    """For completion: why an install may not be completed yet (None when it may).

    A broadband install (or a move's new site) is done when the network side says the line is
    live; completing it before that would close an order whose service does not work.
    """
    if not ord09_applies(order) or Activation.objects.filter(order=order).exists():
        return None
    return "宽带尚未开通：须等网络侧确认开通后再完工（ORD-09）"
