"""Live hall monitoring on durable timers: peaks (HAL-03) and waits at risk (HAL-02)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from guifan.apps.hall.classes import RISK_SHARE, ticket_class
from guifan.apps.hall.models import Counter, CounterStatus, Hall, HallAlert, Ticket, TicketStatus
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.registry import handler
from guifan.apps.timers.services import timer_schedule
from guifan.clock import at_local, local
from guifan.norms import Verdict
from guifan.norms.reasons import reason
from guifan.staffing.policy import targets_from_norms


def hall_monitor_start(*, hall: Hall, at: dt.datetime) -> Timer:
    """Arm the hall's recurring queue check (idempotent per slot)."""
    return timer_schedule(
        kind="hal.monitor",
        key=f"halmon:{hall.id}:{at:%Y%m%d%H%M}",
        due_at=at,
        norm_id="HAL-03",
        payload={"hall": hall.id},
    )


def hall_monitor_running(hall: Hall) -> bool:
    return Timer.objects.filter(
        kind="hal.monitor", status=TimerStatus.PENDING, payload__hall=hall.id
    ).exists()


def hall_monitor_today(*, hall: Hall, now: dt.datetime) -> Timer:
    """Arm the queue check from now until the end of the hall's local day (HAL-03)."""
    until = at_local(local(now).date(), "23:59")
    return timer_schedule(
        kind="hal.monitor",
        key=f"halmon:{hall.id}:{now:%Y%m%d%H%M}",
        due_at=now,
        norm_id="HAL-03",
        payload={"hall": hall.id, "until": until.isoformat()},
    )


def hall_snapshot(hall: Hall, now: dt.datetime) -> dict[str, Any]:
    """Waiting per open counter and the oldest wait per class against its target."""
    open_counters = Counter.objects.filter(hall=hall, status=CounterStatus.OPEN).count()
    waiting = list(
        Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING).only(
            "issued_at", "star_verified", "vulnerable"
        )
    )
    oldest: dict[str, float] = {}
    for t in waiting:
        cls = ticket_class(t)
        oldest[cls] = max(oldest.get(cls, 0.0), (now - t.issued_at).total_seconds() / 60)
    per_counter = len(waiting) / open_counters if open_counters else float(len(waiting))
    return {
        "waiting": len(waiting),
        "open_counters": open_counters,
        "per_counter": round(per_counter, 2),
        "oldest_min": oldest,
    }


@handler("hal.monitor", "营业厅排队巡检")
def hall_monitor(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    hall = Hall.objects.get(id=timer.payload["hall"])
    ns = norms_snapshot()
    snap = hall_snapshot(hall, now)
    limit = ns.param("HAL-03", "peak_queue_per_open_counter")
    open_peak = HallAlert.objects.filter(hall=hall, kind="peak", acted_at__isnull=True).exists()
    if snap["per_counter"] > limit and not open_peak:
        alert = HallAlert.objects.create(hall=hall, kind="peak", raised_at=now, detail=snap)
        due = now + dt.timedelta(minutes=ns.minutes("HAL-03", "action_minutes"))
        timer_schedule(
            kind="hal03.action_due",
            key=f"hal03:{alert.id}",
            due_at=due,
            norm_id="HAL-03",
            payload={"alert": alert.id},
        )
    targets = targets_from_norms(ns)
    for cls, waited in snap["oldest_min"].items():
        if waited >= RISK_SHARE * targets[cls]:
            HallAlert.objects.create(
                hall=hall,
                kind="target_risk",
                raised_at=now,
                detail={"class": cls, "waited_min": round(waited, 1)},
            )
    step = dt.timedelta(minutes=ns.minutes("HAL-03", "monitor_minutes"))
    if timer.payload.get("until") is None or now + step <= dt.datetime.fromisoformat(
        timer.payload["until"]
    ):
        nxt = now + step
        timer_schedule(
            kind="hal.monitor",
            key=f"halmon:{hall.id}:{nxt:%Y%m%d%H%M}",
            due_at=nxt,
            norm_id="HAL-03",
            payload=timer.payload,
        )
    return snap


@handler("hal03.action_due", "排队高峰处置到期")
def peak_action_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    alert = HallAlert.objects.select_related("hall").get(id=timer.payload["alert"])
    if alert.acted_at is not None:
        return {"acted": True}
    minutes = norms_snapshot().minutes("HAL-03", "action_minutes")
    verdict = Verdict.broke("HAL-03", reason("hal03.not_answered", minutes=minutes))
    norm_check_record(verdict=verdict, at=now, area_code=alert.hall.code)
    alert.acted_at = now  # closed unanswered; a new peak raises a new alert
    alert.detail = {**alert.detail, "unanswered": True}
    alert.save(update_fields=["acted_at", "detail"])
    return {"acted": False}


@transaction.atomic
def peak_answered(*, hall: Hall, now: dt.datetime) -> None:
    """Opening a counter answers an open peak alert (HAL-03 kept, with the minutes taken)."""
    alert = (
        HallAlert.objects.select_for_update()
        .filter(hall=hall, kind="peak", acted_at__isnull=True)
        .first()
    )
    if alert is None:
        return
    alert.acted_at = now
    alert.save(update_fields=["acted_at"])
    minutes = (now - alert.raised_at).total_seconds() / 60
    norm_check_record(
        verdict=Verdict.keep(
            "HAL-03", reason("hal03.answered", minutes=minutes), minutes=round(minutes, 1)
        ),
        at=now,
        area_code=hall.code,
    )
