"""Reads for the calling screen (ADR 0027): who waits per class, the expected wait, notices.

The classes are the calling classes (``ticket_class(for_calling=True)``: the vulnerable are
called with the first class, HAL-05). The expected wait of a class is a plain estimate for a
customer taking a ticket now: everyone waiting in that class or a higher one, times today's
mean service time (call to finish, the last ``SAMPLE`` tickets; ``DEFAULT_SERVICE_MIN`` before
any), shared by the open counters. No counter open: no estimate.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from guifan.apps.hall.classes import ticket_class
from guifan.apps.hall.models import Counter, CounterStatus, Hall, Ticket, TicketStatus
from guifan.clock import local
from guifan.staffing.policy import CLASSES

SAMPLE = 30
DEFAULT_SERVICE_MIN = 6.0
MAX_NOTICES, NOTICE_CHARS = 10, 120


@dataclass(frozen=True, slots=True)
class ScreenClass:
    cls: str  # star67 | star5 | normal
    waiting: int
    wait_min: int | None  # expected minutes for a ticket taken now; None: no counter open


def mean_service_min(hall: Hall, now: dt.datetime) -> float:
    """Today's mean minutes from call to finish over the last ``SAMPLE`` finished tickets."""
    rows = (
        Ticket.objects.filter(
            hall=hall,
            day=local(now).date(),
            finished_at__isnull=False,
            called_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("called_at", "finished_at")[:SAMPLE]
    )
    spans = [
        (end - start).total_seconds() / 60
        for start, end in rows
        if start is not None and end is not None and end >= start
    ]
    return sum(spans) / len(spans) if spans else DEFAULT_SERVICE_MIN


def screen_waiting(hall: Hall, now: dt.datetime) -> list[ScreenClass]:
    """Per calling class, first class first: how many wait and the expected wait (3 queries)."""
    counts = dict.fromkeys(CLASSES, 0)
    waiting = Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING)
    for t in waiting.only("star_verified", "vulnerable"):
        counts[ticket_class(t, for_calling=True)] += 1
    open_counters = Counter.objects.filter(hall=hall, status=CounterStatus.OPEN).count()
    service = mean_service_min(hall, now)
    out, ahead = [], 0
    for cls in CLASSES:
        ahead += counts[cls]
        wait = math.ceil(ahead * service / open_counters) if open_counters else None
        out.append(ScreenClass(cls, counts[cls], wait))
    return out


def screen_notices(hall: Hall) -> list[str]:
    """The hall's marquee notices (``Hall.notices``): text only, trimmed, at most ten."""
    raw = hall.notices if isinstance(hall.notices, list) else []
    notices = [str(n).strip()[:NOTICE_CHARS] for n in raw if isinstance(n, str | int | float)]
    return [n for n in notices if n][:MAX_NOTICES]
