"""Who may see and work which case: the case half of the actor rule (ADR 0013, ADR 0020).

- the quality centre sees every case and works the field ones (QA-02, QA-03) and a hall's
  QA-02 (an unhappy rating on the rating device); the hall's complaints (HAL-08) it follows
  read-only (the hall's own staff answer them);
- hall staff and duty managers the complaints of their post's hall;
- a dispatcher the field cases on the orders of their areas;
- a technician the cases they own (first contact: a complaint they received, an unhappy
  rating at their own completion);
- administrators, integrations and the worker (``by is None``) every case.

A case ``by`` may not touch is a 404, like a missing one.
"""

from __future__ import annotations

from django.db.models import Q

from guifan.apps.accounts.models import Role, User
from guifan.apps.cases.models import Case, CaseChannel, CaseKind
from guifan.apps.hall.access import HALL_ROLES, hall_may
from guifan.apps.hall.models import HallPost
from guifan.apps.orders.access import Act, order_may
from guifan.apps.workforce.access import acts_everywhere, area_q
from guifan.errors import NotFound

# The roles that work cases at all (others get 403 at the gate).
CASE_ROLES = (Role.QUALITY, Role.DISPATCHER, Role.TECHNICIAN, *HALL_ROLES, Role.ADMIN, Role.SYSTEM)


def case_q(by: User | None) -> Q:
    """A filter of the cases ``by`` may see."""
    if acts_everywhere(by) or (by is not None and by.role == Role.QUALITY):
        return Q()
    assert by is not None
    if by.role in HALL_ROLES:
        halls = list(HallPost.objects.filter(user=by).values_list("hall_id", flat=True))
        return Q(channel=CaseChannel.HALL, hall_id__in=halls)
    if by.role == Role.DISPATCHER:
        return Q(channel=CaseChannel.FIELD) & area_q(by, prefix="order__")
    if by.role == Role.TECHNICIAN:
        return Q(owner=by)
    return Q(pk__in=[])


def case_may(case: Case, *, by: User | None, write: bool = True) -> bool:
    """Whether ``by`` may see (``write=False``) or work ``case``."""
    if acts_everywhere(by):
        return True
    assert by is not None
    if by.role == Role.QUALITY:
        # The centre follows up every dissatisfaction, a hall's unhappy rating too (QA-02).
        return case.channel == CaseChannel.FIELD or case.kind == CaseKind.DISSATISFIED or not write
    if case.channel == CaseChannel.HALL:
        return case.hall_id is not None and hall_may(case.hall_id, by=by)
    if by.role == Role.DISPATCHER:
        return case.order is not None and order_may(case.order, by=by, act=Act.OFFICE)
    if by.role == Role.TECHNICIAN:
        return case.owner_id == by.id
    return False


def not_found(case_id: int) -> NotFound:
    return NotFound("case.not_found", f"案件 {case_id} 不存在", field="case")


def case_require(case: Case, *, by: User | None, write: bool = True) -> Case:
    if not case_may(case, by=by, write=write):
        raise not_found(case.id)
    return case
