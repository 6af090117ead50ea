"""Moves (ORD-10): the new site first, the old one removed only once the new line is live.

A move order is the new-site install; its intake with an ``old_address`` also creates the
old-site removal, a linked order (``linked_to`` the move) that follows the usual lifecycle.
Its start (the technician setting off) is refused until the move has been activated
(``Activation``); the refused attempt is recorded as ORD-10 broken.
"""

from __future__ import annotations

import datetime as dt

from guifan.apps.accounts.models import User
from guifan.apps.customers.models import Address
from guifan.apps.orders.choices import REMOVAL
from guifan.apps.orders.models import Activation, WorkOrder
from guifan.apps.orders.services.records import created_audit, event_record, verdict_record
from guifan.apps.orders.services.refusals import Refused
from guifan.norms import Verdict
from guifan.norms.reasons import reason


def removal_create(
    move: WorkOrder,
    *,
    old_address: str,
    old_lat: float | None,
    old_lon: float | None,
    by: User | None,
) -> WorkOrder:
    """The old-site removal of ``move``, linked to it (inside the move's intake transaction).

    It has no first-contact timer of its own: the customer is booked on the move's calls.
    """
    area = move.area
    address = Address.objects.create(
        customer=move.customer,
        text=old_address.strip(),
        lat=old_lat if old_lat is not None else area.lat,
        lon=old_lon if old_lon is not None else area.lon,
        area=area,
    )
    removal = WorkOrder.objects.create(
        number=f"{move.number}-R",
        source=move.source,
        intake_key=f"{move.intake_key}#removal",
        request_hash=move.request_hash,
        customer=move.customer,
        address=address,
        area=area,
        service_type=move.service_type,
        kind=REMOVAL,
        description=f"移机原址拆机（新址工单 {move.number}）",
        requested_time=move.requested_time,
        tier=move.tier,
        received_at=move.received_at,
        products=list(move.products),
        linked_to=move,
    )
    event_record(
        removal,
        action="intake",
        at=move.received_at,
        by=by,
        to_status=removal.status,
        detail={"source": move.source, "move": move.id},
    )
    created_audit([("address.create", address), ("order.intake", removal)], by=by)
    return removal


def removal_start_check(order: WorkOrder, *, at: dt.datetime, by: User | None) -> None:
    """ORD-10 at the removal's start: refused (and recorded) before the new line is live."""
    if order.kind != REMOVAL or order.linked_to_id is None:
        return
    live = Activation.objects.filter(order_id=order.linked_to_id).first()
    if live is None:
        raise Refused(
            "move.new_site_not_live",
            "新址尚未开通，原址不能拆机（先开后拆）",
            rule="ORD-10",
            field="action",
            order_id=order.id,
            by=by,
        )
    verdict_record(order, Verdict.keep("ORD-10", reason("ord10.new_site_active")), at=at, by=by)
