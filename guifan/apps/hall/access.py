"""Who may act in which hall: the hall half of the actor rule (issue 12).

Hall staff and duty managers act only in the hall of their post (``HallPost``); integrations,
the kiosks' system token, administrators and the worker (``by is None``) in every hall. A
hall, counter, ticket, complaint or post of another hall is a 404, as if it did not exist.
"""

from __future__ import annotations

from django.db.models import Q

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.models import Hall, HallPost
from guifan.apps.workforce.access import acts_everywhere
from guifan.errors import NotFound

HALL_ROLES = (Role.HALL_STAFF, Role.DUTY_MANAGER)


def hall_q(by: User | None, *, prefix: str = "") -> Q:
    """A filter of rows in the halls ``by`` may act in; ``prefix`` leads to the hall field."""
    if acts_everywhere(by):
        return Q()
    assert by is not None
    if by.role not in HALL_ROLES:
        return Q(pk__in=[])
    return Q(**{f"{prefix}hall__posts__user": by}) if prefix else Q(posts__user=by)


def hall_may(hall_id: int, *, by: User | None, inspect: bool = False) -> bool:
    """Whether ``by`` may act in the hall; with ``inspect``, quality supervisors inspect
    every hall (HAL-09) besides the hall's own duty manager."""
    if acts_everywhere(by):
        return True
    assert by is not None
    if inspect and by.role == Role.QUALITY:
        return True
    return by.role in HALL_ROLES and HallPost.objects.filter(user=by, hall_id=hall_id).exists()


def hall_for(*, by: User | None, code: str, inspect: bool = False) -> Hall:
    """The hall ``code`` if ``by`` may act in it; otherwise 404."""
    hall = Hall.objects.filter(code=code).first()
    if hall is None or not hall_may(hall.id, by=by, inspect=inspect):
        raise NotFound("hall.not_found", f"营业厅 {code} 不存在或您不在该厅", field="hall")
    return hall


def hall_require(hall_id: int, *, by: User | None, error: NotFound) -> None:
    """Raise ``error`` (the object's own 404) unless ``by`` may act in hall ``hall_id``."""
    if not hall_may(hall_id, by=by):
        raise error
