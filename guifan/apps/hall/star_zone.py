"""The star zone or desk (HAL-01), checked at an inspection.

Checklist items 1 (a star zone or desk with a sign) and 2 (the queue machine issues and calls
star-priority numbers) decide HAL-01; item 2 counts only while the norm's
``queue_priority_function`` parameter asks for it.
"""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.hall.models import Inspection
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.errors import NotFound
from guifan.norms import Verdict
from guifan.norms.reasons import reason

STAR_ZONE_ITEM, QUEUE_PRIORITY_ITEM = 1, 2


@transaction.atomic
def star_zone_record(*, inspection_id: int, by: User | None) -> NormCheck | None:
    """Record HAL-01 from an inspection's answers; None when the items were not assessed."""
    inspection = Inspection.objects.select_related("hall").filter(id=inspection_id).first()
    if inspection is None:
        raise NotFound("inspection.not_found", "检查记录不存在", field="inspection")
    items = [STAR_ZONE_ITEM]
    if norms_snapshot().param("HAL-01", "queue_priority_function"):
        items.append(QUEUE_PRIORITY_ITEM)
    answers = {no: inspection.results.get(str(no), "na") for no in items}
    assessed = {no: a for no, a in answers.items() if a != "na"}
    if not assessed:
        return None
    broken = sorted(no for no, a in assessed.items() if a == "broken")
    verdict = (
        Verdict.keep("HAL-01", reason("hal01.star_zone_ok"))
        if not broken
        else Verdict.broke(
            "HAL-01",
            reason("hal01.items_failed", items=[str(no) for no in broken]),
            broken=len(broken),
        )
    )
    return norm_check_record(
        verdict=verdict,
        at=inspection.at,
        area_code=inspection.hall.code,
        person=by.username if by else "",
    )
