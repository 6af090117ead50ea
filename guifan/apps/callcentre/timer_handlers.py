"""``callback.due``: the callback's window passed unanswered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.callcentre.choices import CallbackStatus
from guifan.apps.callcentre.models import Callback
from guifan.apps.orders.services.records import verdict_record
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.norms import Verdict
from guifan.norms.reasons import reason


@handler("callback.due", "回访到期")
def callback_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Overdue. QA-01 is broken here; ORD-03 by its own timer (``ord03.callback_due``); an
    audit or a complaint callback is flagged overdue on the worklist."""
    callback = (
        Callback.objects.select_for_update(of=("self",))
        .select_related("order", "order__area", "order__technician")
        .filter(id=timer.payload.get("callback_id"))
        .first()
    )
    if callback is None or callback.status != CallbackStatus.OPEN:
        return {"skipped": "answered"}
    callback.overdue = True
    callback.save(update_fields=["overdue"])
    if callback.norm_id == "QA-01":
        why = reason("qa01.not_done", callback_purpose=str(callback.purpose))
        verdict_record(callback.order, Verdict.broke("QA-01", why, callback=callback.id), at=now)
        return {"kept": False}
    return {"overdue": True}
