"""Who may act on assessment records: the quality centre records, the supervisor closes.

A technician's supervisor is a dispatcher of the technician's area; a hall clerk's is the
duty manager of the clerk's hall. Anyone else sees the record as missing (404)."""

from __future__ import annotations

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.models import HallPost
from guifan.apps.workforce.access import acts_everywhere, area_may_dispatch
from guifan.apps.workforce.models import Technician
from guifan.errors import PermissionDenied

RECORDERS = (Role.QUALITY,)


def may_record(by: User | None) -> bool:
    """The quality centre, administrators, integrations and the worker."""
    return acts_everywhere(by) or (by is not None and by.role in RECORDERS)


def record_require(by: User | None) -> None:
    if not may_record(by):
        raise PermissionDenied("assessment.role", "只有质检中心可以登记考核记录", field="role")


def supervises(by: User | None, person: str) -> bool:
    """Whether ``by`` supervises ``person`` (a badge number or a username)."""
    if acts_everywhere(by):
        return True
    assert by is not None
    if by.role == Role.DISPATCHER:
        tech = Technician.objects.select_related("area").filter(badge_no=person).first()
        return tech is not None and area_may_dispatch(by, tech.area)
    if by.role == Role.DUTY_MANAGER:
        post = HallPost.objects.filter(user__username=person).first()
        return post is not None and HallPost.objects.filter(user=by, hall_id=post.hall_id).exists()
    return False
