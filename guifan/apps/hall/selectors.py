"""Reads for the hall pages: the queue per class against its target, calls, counters, alerts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from guifan.apps.hall.classes import RISK_SHARE, ticket_class
from guifan.apps.hall.models import (
    Counter,
    CounterStatus,
    Hall,
    HallAlert,
    Ticket,
    TicketStatus,
)
from guifan.apps.norms.selectors import norms_snapshot
from guifan.clock import local
from guifan.staffing.policy import CLASSES, targets_from_norms

ACTIVE = (TicketStatus.CALLED, TicketStatus.SERVING)


@dataclass(frozen=True, slots=True)
class ClassQueue:
    """Waiting customers of one class (HAL-02) and the oldest wait against the class target."""

    cls: str
    waiting: int
    oldest_min: float
    target_min: float

    @property
    def share(self) -> float:
        return self.oldest_min / self.target_min

    @property
    def state(self) -> str:
        """ok, warn (past the monitor's risk share) or bad (past the target)."""
        return "bad" if self.share > 1 else "warn" if self.share >= RISK_SHARE else "ok"


def queue_by_class(
    hall: Hall, now: dt.datetime, categories: list[str] | None = None
) -> list[ClassQueue]:
    """Per class (star67, star5, normal): how many wait and for how long, vs HAL-02."""
    targets = targets_from_norms(norms_snapshot())
    waiting = Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING)
    if categories is not None:
        waiting = waiting.filter(category__in=categories)
    counts = dict.fromkeys(CLASSES, 0)
    oldest = dict.fromkeys(CLASSES, 0.0)
    for t in waiting.only("issued_at", "star_verified", "vulnerable"):
        cls = ticket_class(t)
        counts[cls] += 1
        oldest[cls] = max(oldest[cls], (now - t.issued_at).total_seconds() / 60)
    return [ClassQueue(c, counts[c], round(oldest[c], 1), targets[c]) for c in CLASSES]


def counter_current(counter: Counter) -> Ticket | None:
    """The ticket called to or served at the counter, if any."""
    return Ticket.objects.filter(counter=counter, status__in=ACTIVE).order_by("-called_at").first()


def ticket_people_ahead(ticket: Ticket) -> int:
    """Customers of the same category still waiting who took their ticket earlier."""
    return (
        Ticket.objects.filter(
            hall_id=ticket.hall_id, category=ticket.category, status=TicketStatus.WAITING
        )
        .filter(Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, id__lt=ticket.id))
        .count()
    )


def screen_calls(
    hall: Hall, now: dt.datetime, *, recent: int = 8
) -> tuple[list[Ticket], list[Ticket]]:
    """Today's current calls (customers on their way to a counter) and the recent calls."""
    called = (
        Ticket.objects.filter(hall=hall, day=local(now).date(), called_at__isnull=False)
        .select_related("counter")
        .order_by("-called_at", "-id")
    )
    current = list(called.filter(status=TicketStatus.CALLED)[:6])
    shown = {t.id for t in current}
    history = [t for t in called[: recent + len(current)] if t.id not in shown][:recent]
    return current, history


def calls_stamp(hall: Hall, now: dt.datetime) -> str:
    """Changes whenever a call is made, repeated or answered today (one aggregate query)."""
    row = Ticket.objects.filter(
        hall=hall, day=local(now).date(), called_at__isnull=False
    ).aggregate(
        last=Max("called_at"),
        n=Count("id"),
        calling=Count("id", filter=Q(status=TicketStatus.CALLED)),
    )
    return f"{row['last']:%H%M%S%f}-{row['n']}-{row['calling']}" if row["last"] else "none"


def hall_counters(hall: Hall) -> list[tuple[Counter, Ticket | None]]:
    """Every counter of the hall with the ticket at it, in two queries."""
    counters = list(Counter.objects.filter(hall=hall).select_related("staff").order_by("number"))
    at = {
        t.counter_id: t
        for t in Ticket.objects.filter(hall=hall, status__in=ACTIVE, counter__isnull=False)
    }
    return [(c, at.get(c.id)) for c in counters]


def open_alerts(hall: Hall, now: dt.datetime) -> list[HallAlert]:
    """Peak alerts not yet answered, and target-at-risk alerts of the last monitor round."""
    step = dt.timedelta(minutes=norms_snapshot().minutes("HAL-03", "monitor_minutes"))
    alerts = HallAlert.objects.filter(hall=hall).filter(
        Q(kind="peak", acted_at__isnull=True) | Q(kind="target_risk", raised_at__gte=now - step)
    )
    latest: dict[str, HallAlert] = {}
    for a in alerts.order_by("-raised_at", "-id"):
        key = a.kind if a.kind == "peak" else f"risk:{a.detail.get('class')}"
        latest.setdefault(key, a)
    return list(latest.values())


def openable_counters(hall: Hall) -> list[Counter]:
    return list(
        Counter.objects.filter(hall=hall).exclude(status=CounterStatus.OPEN).order_by("number")
    )
