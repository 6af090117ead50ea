"""Unmasking a customer's phone on an order, only for a role whose task needs it (SEC-01).

An order service (it locks the order and records the verdict on it), so it lives in orders,
above customers: customers never imports orders."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_read
from guifan.apps.customers.models import PhoneReveal
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.orders.access import Act, order_may
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import order_lock, verdict_record
from guifan.clock import now as clock_now
from guifan.errors import NotFound, RuleViolation
from guifan.norms import Verdict
from guifan.norms.reasons import reason


@refusals_remembered
@transaction.atomic
def customer_phone_reveal(*, order_id: int, by: User) -> str:
    """The full number for the area's dispatcher or the technician assigned to the open order
    (``orders.access``, act REVEAL). Someone who may read the order but whose task no longer
    needs the number (its technician once it is closed) is refused under SEC-01, and the
    attempt remembered; anyone else gets a 404, as for a missing order."""
    now = clock_now()
    try:
        order = order_lock(order_id, by=by, act=Act.REVEAL)
    except NotFound:
        known = WorkOrder.objects.select_related("technician").filter(id=order_id).first()
        if known is not None and order_may(known, by=by, act=Act.READ):
            raise RuleViolation(
                "order.reveal_not_needed",
                f"工单 {order_id} 的任务已不需要客户完整号码，不能查看",
                rule="SEC-01",
                field="order_id",
            ) from None
        raise
    PhoneReveal.objects.create(customer=order.customer, order=order, user=by, at=now)
    audit_read(actor=by, action="customer.phone_reveal", obj=order.customer, fields=["phone"])
    seen = reason("booking.sec01.phone_revealed", username=by.username)
    verdict_record(order, Verdict.keep("SEC-01", seen), at=now, by=by)
    return order.customer.phone
