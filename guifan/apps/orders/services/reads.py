"""Reads of customers' personal data through the API, each recorded in the audit log.

Which reads count (ADR 0012): one order's detail (customer name, address, description,
contact history) and the order list (the same for many customers: one row naming the ids).
The working screens of a role's own day (the technician's route, the board, the counter)
are not recorded; the full phone number is recorded on every reveal (``customer_phone_reveal``).
"""

from __future__ import annotations

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_read
from guifan.apps.orders import selectors
from guifan.apps.orders.models import WorkOrder

PERSONAL = ("customer.name", "customer.phone_masked", "address.text", "description")


def order_detail_read(*, order_id: int, by: User) -> WorkOrder:
    """One order with its customer's data, events, appointments and contacts."""
    order = selectors.order_get(order_id=order_id, by=by)
    audit_read(actor=by, action="order.read", obj=order, fields=[*PERSONAL, "contacts"])
    return order


def order_list_read(
    *, by: User, status: str | None = None, area: str | None = None, limit: int = 100
) -> list[WorkOrder]:
    """Orders with their customers' names and addresses, newest first."""
    orders = list(selectors.order_list(by=by, status=status, area=area, limit=limit))
    audit_read(actor=by, action="order.list", obj=orders, fields=PERSONAL)
    return orders
