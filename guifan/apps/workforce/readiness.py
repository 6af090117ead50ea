"""Whether a person may work with customers on a day (STF-04), asked by dispatch and the hall
without importing the app that keeps training records: that app registers its check when
Django starts. A check returns the reasons the person is not ready (empty: ready)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from guifan.norms.reasons import Reason

# (person key: badge number or username, local day) -> reasons (``guifan.norms.reasons``).
Check = Callable[[str, dt.date], list[Reason]]
_checks: list[Check] = []


def readiness_register(fn: Check) -> None:
    if fn not in _checks:
        _checks.append(fn)


def readiness_gaps(person: str, day: dt.date) -> list[Reason]:
    """Every registered check's reasons why ``person`` may not work on ``day``."""
    return [reason for fn in _checks for reason in fn(person, day)]
