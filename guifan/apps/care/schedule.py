"""The dates of a care schedule: every N weeks on one weekday (no Django, no clock)."""

from __future__ import annotations

import datetime as dt

# The order for a visit is generated this many days before it, early enough for the desk's
# first contact (APT-02) and a slot at least 24 h after booking (APT-03).
LEAD_DAYS = 3
GENERATE_AT = "09:00"
# The feedback call (「電話反饋并約定下次服務時間」) is due the day after the visit, by then.
FEEDBACK_AT = "10:00"
FEEDBACK_AFTER_DAYS = 1


def first_on_or_after(day: dt.date, weekday: int) -> dt.date:
    """The first ``weekday`` (0 = Monday) on or after ``day``."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def next_after(visit: dt.date, *, every_weeks: int, weekday: int) -> dt.date:
    """The scheduled visit after one on ``visit``: N weeks on, moved to the schedule's weekday.

    A visit agreed on another weekday returns the schedule to its weekday at the next visit.
    """
    return first_on_or_after(
        visit + dt.timedelta(weeks=every_weeks) - dt.timedelta(days=6), weekday
    )
