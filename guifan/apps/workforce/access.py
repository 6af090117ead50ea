"""Who may act in which service area: the area half of the actor rule (issue 12).

Dispatchers are scoped to the areas they are posted to (``DispatcherArea``): a province's
dispatch desks each run their own areas, and a dispatcher with no area sees nothing (fail
closed). Administrators and the system role act everywhere.
"""

from __future__ import annotations

from django.db.models import Q

from guifan.apps.accounts.models import Role, User
from guifan.apps.workforce.models import DispatcherArea, ServiceArea
from guifan.errors import NotFound
from guifan.requestmemo import request_memo

MEMO = "dispatcher_area_ids"


def acts_everywhere(by: User | None) -> bool:
    """The worker and timers (``None``), integrations, and administrators."""
    return by is None or by.is_superuser or by.role in (Role.ADMIN, Role.SYSTEM)


def dispatcher_area_ids(by: User) -> set[int]:
    """The ids of the areas ``by`` dispatches (empty for every other role); read once per
    request (``guifan.requestmemo``), a copy each time."""
    if by.role != Role.DISPATCHER:
        return set()
    return set(request_memo((MEMO, by.pk), lambda: _area_ids(by)))


def _area_ids(by: User) -> frozenset[int]:
    return frozenset(DispatcherArea.objects.filter(user=by).values_list("area_id", flat=True))


def area_q(by: User | None, *, prefix: str = "") -> Q:
    """A filter of rows in the areas ``by`` may dispatch; ``prefix`` leads to the area field."""
    if acts_everywhere(by):
        return Q()
    assert by is not None
    if by.role != Role.DISPATCHER:
        return Q(pk__in=[])
    return Q(**{f"{prefix}area__dispatchers__user": by})


def area_may_dispatch(by: User | None, area: ServiceArea) -> bool:
    if acts_everywhere(by):
        return True
    assert by is not None
    return area.id in dispatcher_area_ids(by)


def area_get_for(*, by: User | None, code: str, field: str = "area") -> ServiceArea:
    """The area ``code`` if ``by`` dispatches it; any other area is not found (no leak)."""
    area = ServiceArea.objects.filter(code=code).first()
    if area is None or not area_may_dispatch(by, area):
        raise NotFound("area.not_found", f"片区 {code} 不存在或不归您调度", field=field)
    return area


def areas_for(by: User | None) -> list[ServiceArea]:
    """The areas ``by`` may dispatch, by code."""
    qs = ServiceArea.objects.order_by("code")
    if acts_everywhere(by):
        return list(qs)
    assert by is not None
    return list(qs.filter(id__in=dispatcher_area_ids(by)))
