"""Spare-part requisitions (ORD-04): at analysis, on site, and the parts' collection.

ORD-04 verdicts (measured; one per occasion a part need shows, repair orders only):

- kept: a requisition raised before any appointment was booked (at analysis, the norm's
  ``requisition_timing``), or, on site, a missing part fetched at once while the customer
  waits (``rebook`` false);
- broken: a requisition raised only after the appointment was booked (the visit was fixed
  without the part), or a part missing on site that makes a revisit necessary (``rebook``
  true): with ``count_part_revisits`` each such revisit counts against the order, and the
  reason says whether the part had been requisitioned at analysis (a wrong part) or not.

A requisition the stock cannot serve is refused whole (422 naming the line and ORD-04) and
writes nothing: stock that is not there cannot be promised.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import OrderKind, Status
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import (
    event_record,
    order_lock,
    transition,
    verdict_record,
)
from guifan.apps.stock.access import requisition_require
from guifan.apps.stock.models import (
    ItemKind,
    MovementKind,
    Requisition,
    RequisitionLine,
    RequisitionStage,
    RequisitionStatus,
)
from guifan.apps.stock.services.ledger import item_get, levels_lock, movement_apply
from guifan.clock import now as clock_now
from guifan.errors import Conflict, RuleViolation, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

# Before the visit is fixed: a requisition now is "at analysis" (ORD-04) unless a visit
# was already booked for the order.
BEFORE_VISIT = {Status.RECEIVED, Status.ANALYSED, Status.REMOTE, Status.AWAITING_APPOINTMENT}
BOOKED = {Status.SCHEDULED, Status.DISPATCHED, Status.EN_ROUTE}


@dataclass(frozen=True, slots=True)
class Need:
    code: str
    qty: int


def _reserve(
    order: WorkOrder,
    needs: list[Need],
    *,
    stage: str,
    revisit: bool,
    by: User | None,
    field: str = "items",
) -> Requisition:
    """Reserve every line from the order's area stock, or refuse the whole requisition."""
    if not needs:
        raise ValidationFailed("requisition.empty", "申领单至少一项备件", field=field)
    now = clock_now()
    lines = []
    seen: set[str] = set()

    def where(i: int, leaf: str) -> str:
        # The API's names: items[i].code for a list, code / qty for the single part.
        return f"items[{i}].{leaf}" if field == "items" else leaf

    for i, need in enumerate(needs):
        item = item_get(need.code, field=where(i, "code"), rule="ORD-04")
        if need.qty <= 0:
            raise ValidationFailed("requisition.qty", "数量须为正整数", field=where(i, "qty"))
        if item.kind == ItemKind.LOANER:
            raise RuleViolation(
                "requisition.loaner",
                f"{item.name}是周转机，随带回维修借出（ORD-07），不能申领",
                rule="ORD-04",
                field=where(i, "code"),
            )
        if item.code in seen:
            raise ValidationFailed(
                "requisition.duplicate", f"{item.code} 重复", field=where(i, "code")
            )
        seen.add(item.code)
        lines.append((i, item, need.qty))
    levels = levels_lock(order.area, [item for _, item, _ in lines])
    for i, item, qty in lines:
        level = levels[item.id]
        if level.available < qty:
            raise RuleViolation(
                "stock.short",
                f"{order.area.name}库存不足：{item.name}（{item.code}）可用 {level.available}"
                f"{item.unit}，需要 {qty}{item.unit}",
                rule="ORD-04",
                field=where(i, "code"),
            )
    req = Requisition.objects.create(
        order=order, area=order.area, stage=stage, revisit=revisit, raised_at=now, raised_by=by
    )
    for _, item, qty in lines:
        RequisitionLine.objects.create(requisition=req, item=item, qty=qty)
        movement_apply(
            levels[item.id], MovementKind.RESERVE, qty, at=now, by=by, order=order, requisition=req
        )
    names = "、".join(f"{item.name}×{qty}" for _, item, qty in lines)
    event_record(
        order,
        action="requisition",
        at=now,
        by=by,
        reason=names,
        detail={"requisition": req.id, "stage": stage, "revisit": revisit},
    )
    return req


@transaction.atomic
def requisition_raise(
    *, order_id: int, needs: list[Need], by: User | None, expected_version: int | None = None
) -> Requisition:
    """The desk or technician requisitions the parts the analysis needs (ORD-04).

    Before any visit is booked this is the norm's "at analysis" requisition (kept); after
    booking it is late (broken); on site it is a part fetched at once (kept).
    """
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    if order.status in BEFORE_VISIT and not order.appointments.exists():
        stage = RequisitionStage.ANALYSIS
    elif order.status in BEFORE_VISIT | BOOKED:
        stage = RequisitionStage.LATE
    elif order.status == Status.ON_SITE:
        stage = RequisitionStage.ON_SITE
    else:
        raise Conflict(
            "requisition.order_closed",
            f"工单状态为{order.get_status_display()}，不能再申领备件",
            field="order_id",
        )
    req = _reserve(order, needs, stage=stage, revisit=False, by=by)
    if order.kind == OrderKind.REPAIR:
        parts = [str(line.item.name) for line in req.lines.select_related("item")]
        verdict = {
            RequisitionStage.ANALYSIS: Verdict.keep(
                "ORD-04", reason("ord04.requested_at_analysis", parts=parts)
            ),
            RequisitionStage.LATE: Verdict.broke(
                "ORD-04", reason("ord04.requested_after_booking", parts=parts)
            ),
            RequisitionStage.ON_SITE: Verdict.keep(
                "ORD-04", reason("ord04.fetched_on_site", parts=parts)
            ),
        }[RequisitionStage(stage)]
        verdict_record(order, verdict, at=req.raised_at, by=by)
    return req


@transaction.atomic
def visit_part_missing(
    *,
    order_id: int,
    code: str,
    qty: int,
    rebook: bool,
    by: User | None,
    expected_version: int | None = None,
) -> Requisition:
    """On site a part is wrong or missing: requisition it at once (ORD-04).

    ``rebook``: the customer cannot wait, so the order goes back to awaiting an appointment
    and the desk books the revisit once the part is collected; the revisit is counted.
    Otherwise the technician fetches it while the customer waits.
    """
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    if order.status != Status.ON_SITE:
        raise Conflict(
            "requisition.not_on_site",
            f"工单状态为{order.get_status_display()}，仅在现场可登记缺件",
            field="order_id",
        )
    had = order.requisitions.filter(
        stage=RequisitionStage.ANALYSIS, lines__item__code=code.strip()
    ).exists()
    req = _reserve(
        order,
        [Need(code, qty)],
        stage=RequisitionStage.ON_SITE,
        revisit=rebook,
        by=by,
        field="code",
    )
    item = req.lines.select_related("item").get().item
    now = req.raised_at
    if not rebook:
        fetched = reason("ord04.missing_fetched", part=item.name)
        verdict: Verdict | None = Verdict.keep("ORD-04", fetched)
    else:
        revisits = order.requisitions.filter(revisit=True).count()
        # This service is the on-site path for a missing part (like the door and exception
        # services), so it moves the locked order itself; the generic transition refuses it.
        transition(
            order,
            "await_appointment",
            at=now,
            by=by,
            msg="event.parts_missing",
            args={"part": item.name, "revisits": revisits},
        )
        verdict = None
        if norms_snapshot().param("ORD-04", "count_part_revisits"):
            code = "ord04.missing_mismatch" if had else "ord04.missing_not_requested"
            why = reason(code, part=item.name, revisits=revisits)
            verdict = Verdict.broke("ORD-04", why, revisits=revisits)
    if verdict is not None and order.kind == OrderKind.REPAIR:
        verdict_record(order, verdict, at=now, by=by)
    return req


def _requisition_lock(requisition_id: int, by: User | None) -> Requisition:
    found = (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("order", "area")
        .filter(id=requisition_id)
        .first()
    )
    return requisition_require(found, by=by, rid=requisition_id)


def part_revisits(order: WorkOrder) -> int:
    """ORD-04's count: visits to be repeated because a part was missing on site."""
    return order.requisitions.filter(revisit=True).count()


@transaction.atomic
def requisition_issue(*, requisition_id: int, by: User | None) -> Requisition:
    """The reserved parts leave the store for the order: the requisition is fulfilled."""
    req = _requisition_lock(requisition_id, by)
    if req.status != RequisitionStatus.OPEN:
        raise Conflict(
            "requisition.not_open",
            f"申领单{req.get_status_display()}，不能领用",
            field="requisition_id",
        )
    return _close(req, RequisitionStatus.FULFILLED, MovementKind.ISSUE, by=by)


@transaction.atomic
def requisition_release(*, requisition_id: int, by: User | None) -> Requisition:
    """The parts are no longer needed: the reservation is given back to the store."""
    req = _requisition_lock(requisition_id, by)
    if req.status != RequisitionStatus.OPEN:
        raise Conflict(
            "requisition.not_open",
            f"申领单{req.get_status_display()}，不能取消",
            field="requisition_id",
        )
    return _close(req, RequisitionStatus.RELEASED, MovementKind.RELEASE, by=by)


def order_requisitions_release(order: WorkOrder, *, by: User | None) -> list[Requisition]:
    """A cancelled order's open requisitions give their reserved parts back to the store.

    Runs in the cancellation's transaction under its authority (whoever may cancel the order
    frees what it held); parts already issued stay with the technician until returned.
    """
    reqs = list(
        Requisition.objects.select_for_update(of=("self",))
        .select_related("order", "area")
        .filter(order=order, status=RequisitionStatus.OPEN)
        .order_by("id")
    )
    return [_close(req, RequisitionStatus.RELEASED, MovementKind.RELEASE, by=by) for req in reqs]


def _close(req: Requisition, status: str, kind: str, *, by: User | None) -> Requisition:
    now = clock_now()
    lines = list(req.lines.select_related("item"))
    levels = levels_lock(req.area, [line.item for line in lines])
    for line in lines:
        movement_apply(
            levels[line.item_id], kind, line.qty, at=now, by=by, order=req.order, requisition=req
        )
    req.status, req.closed_at = status, now
    req.save(update_fields=["status", "closed_at"])
    event_record(
        req.order,
        action=f"requisition_{status}",
        at=now,
        by=by,
        reason="、".join(f"{line.item.name}×{line.qty}" for line in lines),
        detail={"requisition": req.id},
    )
    return req


@transaction.atomic
def requisition_return(*, requisition_id: int, code: str, qty: int, by: User | None) -> Requisition:
    """A collected part came back unused: it goes back on the shelf."""
    req = _requisition_lock(requisition_id, by)
    if req.status != RequisitionStatus.FULFILLED:
        raise Conflict("requisition.not_issued", "申领单尚未领用，无可退回", field="requisition_id")
    line = req.lines.select_related("item").filter(item__code=code.strip()).first()
    if line is None:
        raise ValidationFailed("requisition.no_line", f"申领单不含 {code}", field="code")
    returned = sum(m.qty for m in req.movements.filter(kind=MovementKind.RETURN, item=line.item))
    if qty <= 0 or returned + qty > line.qty:
        raise ValidationFailed(
            "requisition.return_qty", f"退回数量须在 1–{line.qty - returned} 之间", field="qty"
        )
    level = levels_lock(req.area, [line.item])[line.item_id]
    movement_apply(
        level, MovementKind.RETURN, qty, at=clock_now(), by=by, order=req.order, requisition=req
    )
    return req
