"""Who may act on which work order: the order half of the actor rule (issue 12).

One public function per question, asked by every service that takes ``by`` before it writes,
so the API, the pages, the offline sync, the CLI and the demo cannot disagree:

- ``order_q(by)`` filters what ``by`` may see (lists, reads);
- ``order_require(order, by=…, act=…)`` refuses an order ``by`` may not touch with 404, so
  another person's order is indistinguishable from a missing one.

Acts: ``READ`` (see it), ``FIELD`` (work the visit: contacts, appointments, steps, evidence),
``OFFICE`` (assign, plan, cancel, issue customer links), ``REVEAL`` (the full phone, SEC-01),
``REVIEW`` (attach a recorded conversation for checking: quality, or whoever may FIELD).
Administrators, integrations and the worker (``by is None``) act on every order; dispatchers
on the orders of their areas; a technician reads the orders assigned to them and works them
while they are open; quality reads every order and writes none.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from guifan.apps.accounts.models import Role, User
from guifan.apps.orders.lifecycle import OPEN_STATUSES
from guifan.apps.orders.models import WorkOrder
from guifan.apps.workforce.access import acts_everywhere, area_q, dispatcher_area_ids
from guifan.errors import NotFound


class Act(StrEnum):
    READ = "read"
    FIELD = "field"
    OFFICE = "office"
    REVEAL = "reveal"
    REVIEW = "review"  # attach a recorded call or visit for checking (quality, and FIELD)


def order_q(by: User | None) -> Q:
    """A filter of the orders ``by`` may see."""
    if acts_everywhere(by):
        return Q()
    assert by is not None
    if by.role == Role.QUALITY:
        return Q()
    if by.role == Role.DISPATCHER:
        return area_q(by)
    if by.role == Role.TECHNICIAN:
        return Q(technician__user=by)
    return Q(pk__in=[])


def order_may(order: WorkOrder, *, by: User | None, act: Act) -> bool:
    """Whether ``by`` may ``act`` on ``order`` (see the module docstring)."""
    if act == Act.REVEAL and by is not None and by.role == Role.SYSTEM:
        return False  # integrations never need the full number (SEC-01)
    if acts_everywhere(by):
        return True
    assert by is not None
    if by.role == Role.QUALITY:
        return act in (Act.READ, Act.REVIEW)
    if by.role == Role.DISPATCHER:
        return order.area_id in dispatcher_area_ids(by)
    if by.role == Role.TECHNICIAN:
        own = order.technician is not None and order.technician.user_id == by.id
        if act == Act.READ:
            return own
        return own and act in (Act.FIELD, Act.REVEAL, Act.REVIEW) and order.status in OPEN_STATUSES
    return False


def order_require(order: WorkOrder, *, by: User | None, act: Act) -> WorkOrder:
    """``order`` if ``by`` may ``act`` on it; otherwise 404, as if it did not exist."""
    if not order_may(order, by=by, act=act):
        raise not_found(order.id)
    return order


def not_found(order_id: int) -> NotFound:
    return NotFound("order.not_found", f"工单 {order_id} 不存在或不归您处理", field="order_id")
