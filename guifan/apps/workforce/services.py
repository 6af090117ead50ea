"""Workforce services: posting dispatchers to the service areas they run."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import Actor, audit_record
from guifan.apps.workforce.models import DispatcherArea, ServiceArea
from guifan.errors import NotFound


@transaction.atomic
def dispatcher_areas_set(
    *, user: User, area_codes: list[str], by: Actor = None
) -> list[ServiceArea]:
    """Post dispatcher ``user`` to exactly ``area_codes`` (unknown codes are an error); the
    change is one SEC-02 audit row on the user."""
    areas = list(ServiceArea.objects.filter(code__in=area_codes))
    missing = sorted(set(area_codes) - {a.code for a in areas})
    if missing:
        raise NotFound("area.not_found", f"片区 {'、'.join(missing)} 不存在", field="area")
    before = sorted(DispatcherArea.objects.filter(user=user).values_list("area__code", flat=True))
    DispatcherArea.objects.filter(user=user).exclude(area__in=areas).delete()
    for area in areas:
        DispatcherArea.objects.get_or_create(user=user, area=area)
    after = sorted(a.code for a in areas)
    if before != after:
        audit_record(
            actor=by,
            action="user.dispatch_areas",
            obj=user,
            before={"areas": before},
            after={"areas": after},
        )
    return areas
