"""Who may see and move which area's stock: the stock half of the actor rule (ADR 0013).

- Administrators, integrations and the worker (``by is None``) act on every area's stock.
- A dispatcher reads and moves the stock of the areas they dispatch (``workforce.access``).
- A technician reads the stock of their own area and works the requisitions of the orders
  assigned to them (raise, collect, give back); the store itself (receiving goods) is not theirs.
- Everyone else sees no stock.

Someone else's area or requisition is a 404 like a missing one, so nothing leaks.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from guifan.apps.accounts.models import Role, User
from guifan.apps.stock.models import Requisition
from guifan.apps.workforce.access import acts_everywhere, dispatcher_area_ids
from guifan.apps.workforce.models import ServiceArea, Technician
from guifan.errors import NotFound


class StockAct(StrEnum):
    READ = "read"  # levels, loaners, movements, requisitions
    STORE = "store"  # receive goods into the area's store
    WORK = "work"  # collect, release or give back a requisition's parts


def _technician_area_id(by: User) -> int | None:
    return Technician.objects.filter(user=by).values_list("area_id", flat=True).first()


def stock_area_ids(by: User | None, act: StockAct = StockAct.READ) -> set[int] | None:
    """The ids of the areas whose stock ``by`` may ``act`` on; None means every area."""
    if acts_everywhere(by):
        return None
    assert by is not None
    if by.role == Role.DISPATCHER:
        return dispatcher_area_ids(by)
    if by.role == Role.TECHNICIAN and act == StockAct.READ:
        own = _technician_area_id(by)
        return {own} if own is not None else set()
    return set()


def stock_area_may(by: User | None, area: ServiceArea, act: StockAct = StockAct.READ) -> bool:
    ids = stock_area_ids(by, act)
    return ids is None or area.id in ids


def stock_area_get(*, by: User | None, code: str, act: StockAct = StockAct.READ) -> ServiceArea:
    """The area ``code`` if ``by`` may ``act`` on its stock; any other area is not found."""
    area = ServiceArea.objects.filter(code=code).first()
    if area is None or not stock_area_may(by, area, act):
        raise NotFound("stock.area_not_found", f"片区 {code} 不存在或无权查看其库存", field="area")
    return area


def requisition_q(by: User | None) -> Q:
    """A filter of the requisitions ``by`` may see and work."""
    if acts_everywhere(by):
        return Q()
    assert by is not None
    if by.role == Role.DISPATCHER:
        return Q(area_id__in=dispatcher_area_ids(by))
    if by.role == Role.TECHNICIAN:
        return Q(order__technician__user=by)
    return Q(pk__in=[])


def requisition_require(
    requisition: Requisition | None, *, by: User | None, rid: int
) -> Requisition:
    """``requisition`` if ``by`` may work it; otherwise 404, as if it did not exist."""
    if (
        requisition is None
        or not Requisition.objects.filter(requisition_q(by), id=requisition.id).exists()
    ):
        raise NotFound(
            "requisition.not_found", f"申领单 {rid} 不存在或不归您处理", field="requisition_id"
        )
    return requisition
