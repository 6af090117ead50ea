"""The STF-04 readiness check registered with ``workforce.readiness``: the required training
(``required_training``) must be on record, when ``training_enforced`` is on."""

from __future__ import annotations

import datetime as dt

from guifan.apps.assessment.models import Training
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.workforce.readiness import readiness_register
from guifan.norms.reasons import Reason, reason


def training_missing(person: str, day: dt.date) -> list[Reason]:
    """The required courses ``person`` had not completed by ``day`` (none when not enforced)."""
    ns = norms_snapshot()
    if not ns.param("STF-04", "training_enforced"):
        return []
    required = [str(c) for c in ns.param("STF-04", "required_training")]
    done = set(
        Training.objects.filter(person=person, completed_on__lte=day).values_list(
            "course", flat=True
        )
    )
    return [reason("stf04.training_missing", course=c) for c in required if c not in done]


def install() -> None:
    readiness_register(training_missing)
