"""Who may act on which care agreement: the agreement half of the actor rule (ADR 0013).

An agreement belongs to its service area: administrators, integrations and the worker act
on every one, dispatchers on those of the areas they run; nobody else. Another area's
agreement is a 404 like a missing one.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guifan.apps.accounts.models import User
from guifan.apps.care.models import ServiceAgreement
from guifan.apps.workforce.access import area_may_dispatch, area_q
from guifan.errors import NotFound


def agreement_q(by: User | None) -> Q:
    """A filter of the agreements ``by`` may see and change."""
    return area_q(by)


def agreement_not_found(agreement_id: int) -> NotFound:
    return NotFound(
        "care.agreement_not_found",
        f"关怀协议 {agreement_id} 不存在或不归您调度",
        field="agreement_id",
    )


def agreement_require(
    agreement_id: int, *, by: User | None, lock: bool = False
) -> ServiceAgreement:
    """The agreement if ``by`` may act on it (row-locked with ``lock``); otherwise 404."""
    qs: QuerySet[ServiceAgreement] = ServiceAgreement.objects.select_related(
        "area", "customer", "address"
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    agreement = qs.filter(id=agreement_id).first()
    if agreement is None or not area_may_dispatch(by, agreement.area):
        raise agreement_not_found(agreement_id)
    return agreement
