"""Schedule, cancel and fire durable timers.

A timer fires inside one transaction together with its effect: a worker killed mid-fire
(or cut off from the database) rolls both back, so the timer fires again later, once. Claims use SKIP LOCKED so parallel
workers never take the same row; the conditional status update guards SQLite too.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import InterfaceError, OperationalError, transaction

from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.registry import HANDLERS
from guifan.clock import now as clock_now

log = logging.getLogger(__name__)


def timer_schedule(
    *,
    kind: str,
    key: str,
    due_at: dt.datetime,
    norm_id: str = "",
    order_id: int | None = None,
    appointment_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Timer:
    """Arm the timer ``key``: the key names one deadline, which fires at most once.

    Arming a key that is pending or has fired changes nothing (no duplicate, no second
    effect); arming a key that was cancelled arms it again with the new due time, so a
    cancellation never silently swallows a later arming.
    """
    if kind not in HANDLERS:
        raise ValueError(f"no handler for timer kind {kind!r}")
    fields: dict[str, Any] = {
        "kind": kind,
        "due_at": due_at,
        "norm_id": norm_id,
        "order_id": order_id,
        "appointment_id": appointment_id,
        "payload": payload or {},
    }
    timer, created = Timer.objects.get_or_create(
        key=key, defaults={**fields, "created_at": clock_now()}
    )
    if created or timer.status != TimerStatus.CANCELLED:
        return timer
    Timer.objects.filter(id=timer.id, status=TimerStatus.CANCELLED).update(
        **fields, status=TimerStatus.PENDING, fired_at=None, fired_by="", result={}
    )
    timer.refresh_from_db()
    return timer


def timer_cancel(*, key: str) -> bool:
    """Cancel a pending timer; a fired one stays fired."""
    n = Timer.objects.filter(key=key, status=TimerStatus.PENDING).update(
        status=TimerStatus.CANCELLED
    )
    return n == 1


def timers_cancel_for_appointment(*, appointment_id: int) -> int:
    return Timer.objects.filter(appointment_id=appointment_id, status=TimerStatus.PENDING).update(
        status=TimerStatus.CANCELLED
    )


def timer_fire_next(*, now: dt.datetime, worker_id: str) -> Timer | None:
    """Claim and fire the earliest due timer, or return None when nothing is due."""
    with transaction.atomic():
        timer = (
            Timer.objects.select_for_update(skip_locked=True)
            .filter(status=TimerStatus.PENDING, due_at__lte=now)
            .order_by("due_at", "id")
            .first()
        )
        if timer is None:
            return None
        claimed = Timer.objects.filter(id=timer.id, status=TimerStatus.PENDING).update(
            status=TimerStatus.FIRED, fired_at=now, fired_by=worker_id
        )
        if claimed != 1:
            return None
        status = TimerStatus.FIRED
        try:
            # A savepoint: a failing handler's effects roll back, the claim stays.
            with transaction.atomic():
                result = HANDLERS[timer.kind](timer, now)
        except (OperationalError, InterfaceError):
            # The database, not the handler, failed (connection lost, deadlock): roll the
            # claim back too, so the timer fires on the worker's retry instead of "failed".
            raise
        except Exception as exc:
            log.exception("timer %s (%s) failed", timer.id, timer.kind)
            status, result = TimerStatus.FAILED, {"error": f"{type(exc).__name__}: {exc}"[:500]}
        Timer.objects.filter(id=timer.id).update(status=status, result=result)
        timer.status, timer.fired_at, timer.fired_by, timer.result = status, now, worker_id, result
    return timer


def timers_fire_due(*, now: dt.datetime, worker_id: str, limit: int | None = None) -> int:
    """Fire every timer due at ``now`` (one transaction each); return how many fired."""
    fired = 0
    while limit is None or fired < limit:
        if timer_fire_next(now=now, worker_id=worker_id) is None:
            break
        fired += 1
    return fired


def timers_purge_before(*, cutoff: dt.datetime, batch: int = 10_000) -> int:
    """Delete settled timers (fired, cancelled, failed) due before ``cutoff``, in batches of
    short transactions; pending ones always stay. Returns how many went (ADR 0038)."""
    settled = [TimerStatus.FIRED, TimerStatus.CANCELLED, TimerStatus.FAILED]
    total = 0
    while True:
        ids = list(
            Timer.objects.filter(status__in=settled, due_at__lt=cutoff).values_list(
                "id", flat=True
            )[:batch]
        )
        if not ids:
            return total
        with transaction.atomic():
            total += Timer.objects.filter(id__in=ids, status__in=settled).delete()[0]
