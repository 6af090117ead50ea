"""The ledger: every stock change is one movement written under the level's row lock.

Two reservations of the last unit at once: each locks the level row (SELECT ... FOR UPDATE)
before reading what is available, so the second waits for the first to commit and then sees
nothing left; on SQLite, which serialises writers, the same code path holds. The database's
check constraints (no negative on-hand, reserved within on-hand) are the last guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum

from guifan.apps.accounts.models import User
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import actor_label
from guifan.apps.stock.access import StockAct, stock_area_get
from guifan.apps.stock.models import (
    Item,
    LoanerUnit,
    Movement,
    MovementKind,
    Requisition,
    StockLevel,
)
from guifan.apps.workforce.models import ServiceArea
from guifan.clock import now as clock_now
from guifan.errors import RuleViolation, ValidationFailed

# What each movement does to (on hand, reserved), per unit.
EFFECT: dict[str, tuple[int, int]] = {
    MovementKind.RECEIVE: (1, 0),
    MovementKind.RESERVE: (0, 1),
    MovementKind.ISSUE: (-1, -1),
    MovementKind.RETURN: (1, 0),
    MovementKind.RELEASE: (0, -1),
    MovementKind.LEND: (-1, 0),
    MovementKind.TAKE_BACK: (1, 0),
}


def levels_lock(area: ServiceArea, items: Iterable[Item]) -> dict[int, StockLevel]:
    """The area's levels of ``items``, row-locked, in item order (two writers never deadlock)."""
    ids = sorted({i.id for i in items})
    have = set(
        StockLevel.objects.filter(area=area, item_id__in=ids).values_list("item_id", flat=True)
    )
    for item_id in ids:
        if item_id in have:
            continue
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer one intact
                StockLevel.objects.create(area=area, item_id=item_id)
        except IntegrityError:
            pass  # another transaction made the row first; the lock below waits for it
    rows = StockLevel.objects.select_for_update().filter(area=area, item_id__in=ids)
    return {row.item_id: row for row in rows.order_by("item_id")}


def movement_apply(
    level: StockLevel,
    kind: str,
    qty: int,
    *,
    at: dt.datetime,
    by: User | None,
    order: WorkOrder | None = None,
    requisition: Requisition | None = None,
    loaner: LoanerUnit | None = None,
    note: str = "",
) -> Movement:
    """Apply one movement to a locked level and append it to the ledger."""
    d_on_hand, d_reserved = EFFECT[kind]
    level.on_hand += d_on_hand * qty
    level.reserved += d_reserved * qty
    # The callers check availability first; this is the invariant, not the business answer.
    assert level.on_hand >= 0 and 0 <= level.reserved <= level.on_hand, (kind, qty, level)
    level.save(update_fields=["on_hand", "reserved"])
    return Movement.objects.create(
        area_id=level.area_id,
        item_id=level.item_id,
        kind=kind,
        qty=qty,
        on_hand_after=level.on_hand,
        reserved_after=level.reserved,
        at=at,
        actor_label=actor_label(by),
        order=order,
        requisition=requisition,
        loaner=loaner,
        note=note[:200],
    )


def item_get(code: str, *, field: str, rule: str | None = None) -> Item:
    item = Item.objects.filter(code=code.strip()).first()
    if item is None:
        message = f"物料 {code} 不在库存目录中"
        if rule:
            raise RuleViolation("stock.unknown_item", message, rule=rule, field=field)
        raise ValidationFailed("stock.unknown_item", message, field=field)
    return item


@transaction.atomic
def stock_receive(
    *, area_code: str, code: str, qty: int, by: User | None, note: str = ""
) -> Movement:
    """Goods arrive in the area's store (a delivery, a repaired part)."""
    area = stock_area_get(by=by, code=area_code, act=StockAct.STORE)
    if qty <= 0:
        raise ValidationFailed("stock.qty", "数量须为正整数", field="qty")
    item = item_get(code, field="code")
    level = levels_lock(area, [item])[item.id]
    return movement_apply(level, MovementKind.RECEIVE, qty, at=clock_now(), by=by, note=note)


@dataclass(frozen=True, slots=True)
class LedgerCheck:
    levels: int
    mismatches: list[str]

    @property
    def consistent(self) -> bool:
        return not self.mismatches


def stock_ledger_verify(*, area: ServiceArea | None = None) -> LedgerCheck:
    """Recompute every level from its movements; name each level that differs."""
    sums: dict[tuple[int, int], list[int]] = {}
    movements = Movement.objects.all() if area is None else Movement.objects.filter(area=area)
    for row in movements.values("area_id", "item_id", "kind").annotate(total=Sum("qty")):
        d_on_hand, d_reserved = EFFECT[row["kind"]]
        acc = sums.setdefault((row["area_id"], row["item_id"]), [0, 0])
        acc[0] += d_on_hand * row["total"]
        acc[1] += d_reserved * row["total"]
    levels = StockLevel.objects.all() if area is None else StockLevel.objects.filter(area=area)
    mismatches = []
    for level in levels:
        want = sums.pop((level.area_id, level.item_id), [0, 0])
        if [level.on_hand, level.reserved] != want:
            mismatches.append(
                f"{level.area_id}/{level.item_id}: {level.on_hand}/{level.reserved} != {want}"
            )
    mismatches += [f"{a}/{i}: no level row" for (a, i) in sums]
    return LedgerCheck(levels=levels.count(), mismatches=mismatches)
