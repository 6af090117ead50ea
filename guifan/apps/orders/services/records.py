"""Order records shared by the order services and other apps: locking, events, verdicts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Model

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record, audit_records, audit_snapshot
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.refusals import refusal_actor
from guifan.apps.norms.services import norm_check_record, norm_checks_record
from guifan.apps.orders.access import Act, not_found, order_require
from guifan.apps.orders.event_messages import ZH as EVENT_ZH
from guifan.apps.orders.event_messages import message_zh
from guifan.apps.orders.lifecycle import TRANSITIONS
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.apps.orders.signals import order_moved
from guifan.errors import Conflict, NotFound
from guifan.norms import Verdict
from guifan.norms.reasons import reason as reason_made


def order_lock(
    order_id: int, *, by: User | None, act: Act, expected_version: int | None = None
) -> WorkOrder:
    """The order, row-locked for the rest of the transaction, if ``by`` may ``act`` on it.

    Another person's order is a 404 like a missing one (``orders.access``); with
    ``expected_version`` an order changed since the caller read it is a 409.
    """
    try:
        # get(), not first(): no ORDER BY (the model's two ordering fields) to build each time.
        order = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("area", "technician")
            .get(id=order_id)
        )
    except WorkOrder.DoesNotExist:
        raise not_found(order_id) from None
    order_require(order, by=by, act=act)
    if expected_version is not None and order.version != expected_version:
        raise Conflict(
            "order.stale",
            f"工单已被他人修改（当前状态：{order.get_status_display()}），请刷新后重试",
            field="version",
            extra={"version": order.version, "status": order.status},
        )
    return order


def actor_label(by: User | None) -> str:
    if by is None:
        return "system"
    return f"{by.role}:{by.username}"


def event_record(
    order: WorkOrder,
    *,
    action: str,
    at: dt.datetime,
    by: User | None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    verdict: Verdict | None = None,
    detail: dict[str, Any] | None = None,
    msg: str = "",
    args: dict[str, Any] | None = None,
) -> OrderEvent:
    """Log one step; a reason given as ``msg`` (a code of ``event_messages.ZH``) with ``args``
    is kept as code and arguments for pages to render in the reader's language, and stored
    in Chinese in ``reason`` as well."""
    event = _event(
        order,
        action=action,
        at=at,
        by=by,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        verdict=verdict,
        detail=detail,
        msg=msg,
        args=args,
    )
    event.save(force_insert=True)
    return event


def created_audit(records: list[tuple[str, Model]], *, by: User | None) -> None:
    """Audit what an intake created (``(action, obj)`` each) in one append. The request's
    hash stays out: it covers the full phone, so with the masked one it would give it away."""
    audit_records(
        actor=by,
        changes=[
            (action, obj, {}, audit_snapshot(obj, exclude=["request_hash"]))
            for action, obj in records
        ],
    )


def _event(
    order: WorkOrder,
    *,
    action: str,
    at: dt.datetime,
    by: User | None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    verdict: Verdict | None = None,
    detail: dict[str, Any] | None = None,
    msg: str = "",
    args: dict[str, Any] | None = None,
) -> OrderEvent:
    if msg:
        # A code of the event messages, or of ``guifan.norms.reasons`` (texts kept with their
        # English there): the Chinese stored, the code and arguments for other languages.
        reason = message_zh(msg, args) if msg in EVENT_ZH else reason_made(msg, **(args or {})).zh()
        detail = {**(detail or {}), "msg": msg, "args": dict(args or {})}
    elif verdict is not None and verdict.msg and reason == verdict.reason:
        detail = {**(detail or {}), **verdict.message()}
    return OrderEvent(
        order=order,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=by,
        actor_label=actor_label(by),
        at=at,
        reason=reason[:200],
        norm_id=verdict.norm if verdict else "",
        kept=verdict.kept if verdict else None,
        detail=detail or {},
    )


def verdict_record(
    order: WorkOrder,
    verdict: Verdict,
    *,
    at: dt.datetime,
    by: User | None = None,
    person: str | None = None,
) -> Verdict:
    """Record a verdict in the ledger and on the order's event log; the person is the order's
    technician unless ``person`` names someone else (e.g. the technician refused)."""
    if person is None:
        person = order.technician.badge_no if order.technician_id and order.technician else ""
    norm_check_record(
        verdict=verdict, at=at, order_id=order.id, area_code=order.area.code, person=person
    )
    event_record(order, action="norm_check", at=at, by=by, reason=verdict.reason, verdict=verdict)
    return verdict


def verdicts_record(
    order: WorkOrder,
    verdicts: list[Verdict],
    *,
    at: dt.datetime,
    by: User | None = None,
    person: str | None = None,
) -> list[Verdict]:
    """``verdict_record`` for several verdicts of one moment: one INSERT into the ledger and
    one into the event log, the rows in the order given (as one call each would write them)."""
    if len(verdicts) < 2:
        for verdict in verdicts:
            verdict_record(order, verdict, at=at, by=by, person=person)
        return verdicts
    if person is None:
        person = order.technician.badge_no if order.technician_id and order.technician else ""
    norm_checks_record(verdicts, at=at, order_id=order.id, area_code=order.area.code, person=person)
    OrderEvent.objects.bulk_create(
        [
            _event(order, action="norm_check", at=at, by=by, reason=v.reason, verdict=v)
            for v in verdicts
        ]
    )
    return verdicts


def transition(
    order: WorkOrder,
    action: str,
    *,
    at: dt.datetime,
    by: User | None,
    reason: str = "",
    verdict: Verdict | None = None,
    detail: dict[str, Any] | None = None,
    msg: str = "",
    args: dict[str, Any] | None = None,
) -> WorkOrder:
    """Move a locked order by ``action``; an action not allowed from its status is a conflict."""
    if action not in TRANSITIONS:
        raise NotFound("order.unknown_action", f"未知操作 {action!r}", field="action")
    allowed_from, to_status = TRANSITIONS[action]
    if order.status not in allowed_from:
        raise Conflict(
            "order.illegal_transition",
            f"工单状态为 {order.get_status_display()}，不能执行 {action}",
            field="action",
            extra={"from": order.status, "action": action},
        )
    from_status = order.status
    order.status = to_status
    order.version += 1
    order.save(
        update_fields=["status", "version", *(["completed_at"] if order.completed_at else [])]
    )
    event_record(
        order,
        action=action,
        at=at,
        by=by,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        verdict=verdict,
        detail=detail,
        msg=msg,
        args=args,
    )
    done = {"completed_at": at} if order.completed_at == at else {}
    audit_record(
        actor=by,
        action=f"order.{action}",
        obj=order,
        before={"status": from_status},
        after={"status": to_status, **done},
    )
    order_moved.send(
        sender=WorkOrder,
        order=order,
        action=action,
        from_status=from_status,
        to_status=to_status,
        at=at,
        by=by,
        detail=detail or {},
    )
    return order


def refusal_record(
    order_id: int,
    verdicts: list[Verdict],
    *,
    at: dt.datetime,
    by: User | None,
    exc: Exception | None = None,
    person: str | None = None,
) -> None:
    """Remember a refused attempt as broken verdicts, after the refused work rolled back.

    An enforced norm that only says no would always read 100 % kept; the attempt is what the
    quality centre counts. ``exc`` (the refusal being raised) is given the same recording as
    ``record_refusal``: a caller whose own transaction rolled back as well (the offline
    sync, the API's error handler) asks again, and the token records it once."""
    token = uuid.uuid4().hex

    def record() -> None:
        with transaction.atomic():
            if NormCheck.objects.filter(order_id=order_id, detail__refusal=token).exists():
                return
            order = WorkOrder.objects.select_related("area", "technician").get(pk=order_id)
            actor = refusal_actor(by)
            broken = [
                Verdict(
                    v.norm,
                    False,
                    v.reason,
                    {**v.detail, "refusal": token, "actor": actor},
                    v.msg,
                    v.args,
                )
                for v in verdicts
            ]
            verdicts_record(order, broken, at=at, by=by, person=person)

    record()
    if exc is not None:
        exc.record_refusal = record  # type: ignore[attr-defined]
