"""Timer kinds of the assessment app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.assessment.services.actions import DUE_KIND, actions_overdue_mark
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler


@handler(DUE_KIND, "整改措施到期")
def action_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """A corrective action's due day has passed: flag it overdue if still open."""
    return {"overdue": actions_overdue_mark(int(timer.payload["action_id"]), now)}
