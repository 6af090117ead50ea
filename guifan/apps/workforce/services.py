"""Workforce services: posting dispatchers to the service areas they run."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.workforce.models import DispatcherArea, ServiceArea
from guifan.errors import NotFound


@transaction.atomic
def dispatcher_areas_set(*, user: User, area_codes: list[str]) -> list[ServiceArea]:
    """Post dispatcher ``user`` to exactly ``area_codes`` (unknown codes are an error)."""
    areas = list(ServiceArea.objects.filter(code__in=area_codes))
    missing = sorted(set(area_codes) - {a.code for a in areas})
    if missing:
        raise NotFound("area.not_found", f"片区 {'、'.join(missing)} 不存在", field="area")
    DispatcherArea.objects.filter(user=user).exclude(area__in=areas).delete()
    for area in areas:
        DispatcherArea.objects.get_or_create(user=user, area=area)
    return areas
