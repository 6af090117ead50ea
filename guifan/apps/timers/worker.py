"""``guifan worker``: fires due durable timers, then runs queued django-tasks.

Timers are read from the Timer table against the injected clock; queued tasks come from
django-tasks-db (claimed with SKIP LOCKED by its own queryset). A lost database connection
(server restart, killed backend, network) does not end the worker: it drops the connection,
backs off and carries on. Each timer's effect and its "fired" mark commit together, so an
interrupted item rolls back and fires once later.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, close_old_connections, connection

from guifan.apps.timers.services import timer_fire_next
from guifan.clock import now as clock_now

log = logging.getLogger(__name__)

# Back-off after a database error: doubles from the first delay up to the cap.
RECONNECT_FIRST_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 30.0


def reconnect_delay(failures: int) -> float:
    """Seconds to wait after ``failures`` database errors in a row (1, 2, ...)."""
    doublings = min(failures - 1, 16)
    return min(RECONNECT_MAX_SECONDS, RECONNECT_FIRST_SECONDS * 2.0**doublings)


def _run_one_task(worker_id: str) -> bool:
    """Claim and run one ready django-task; False when the queue is empty."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    tasks = DBTaskResult.objects.ready()
    with exclusive_transaction(tasks.db):
        result = tasks.get_locked()
        if result is not None:
            result.claim(worker_id)
    if result is None:
        return False
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=result.backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run_task(result)
    return True


def worker_tick(
    *,
    worker_id: str,
    max_items: int | None = None,
    pause: float = 0.0,
    stopping: Callable[[], bool] = lambda: False,
    done: Callable[[], None] = lambda: None,
) -> int:
    """Fire what is due now and drain the task queue; return how many items ran.

    ``done`` is called after each item, so a caller still counts the items of a tick that
    ends in a database error.
    """
    ran = 0
    while (max_items is None or ran < max_items) and not stopping():
        if timer_fire_next(now=clock_now(), worker_id=worker_id) is None:
            break
        ran += 1
        done()
        if pause:
            time.sleep(pause)
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        while (
            (max_items is None or ran < max_items) and not stopping() and _run_one_task(worker_id)
        ):
            ran += 1
            done()
    return ran


class _Stop:
    """SIGTERM / SIGINT end the loop after the item in hand (each item is its own transaction)."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.requested = False
        self._previous = {sig: signal.signal(sig, self._request) for sig in self.SIGNALS}

    def _request(self, signum: int, frame: object) -> None:
        self.requested = True

    def restore(self) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)


def run_worker(
    *,
    batch: bool,
    interval: float,
    max_items: int | None,
    worker_id: str | None,
    pause: float = 0.0,
    sleep: Callable[[float], None] | None = None,
) -> int:
    """Loop until stopped (or, with ``batch``, until nothing is due); return the items run.

    ``sleep`` waits between rounds and after database errors (tests pass their own).
    """
    worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}"
    stop = _Stop()
    wait = sleep or (lambda seconds: _sleep(seconds, stop))
    total = 0
    failures = 0

    def count() -> None:
        nonlocal total, failures
        total += 1
        failures = 0  # the database answers again: the next error backs off from the start

    try:
        while not stop.requested:
            close_old_connections()
            left = None if max_items is None else max_items - total
            try:
                ran = worker_tick(
                    worker_id=worker_id,
                    max_items=left,
                    pause=pause,
                    stopping=lambda: stop.requested,
                    done=count,
                )
            except (OperationalError, InterfaceError) as exc:
                failures += 1
                delay = reconnect_delay(failures)
                log.warning(
                    "worker %s: database error (%s); reconnecting in %.1f s",
                    worker_id,
                    str(exc).strip() or type(exc).__name__,
                    delay,
                )
                _drop_connection()
                wait(delay)
                continue
            failures = 0
            if max_items is not None and total >= max_items:
                break
            if batch and ran == 0:
                break
            if ran == 0:
                wait(interval)
    finally:
        stop.restore()
    log.info("worker %s ran %d items", worker_id, total)
    return total


def _drop_connection() -> None:
    """Close a broken connection; Django opens a new one at the next query."""
    try:
        connection.close()
    except (OperationalError, InterfaceError):
        log.debug("closing the broken connection failed", exc_info=True)


def _sleep(seconds: float, stop: _Stop) -> None:
    """Sleep in short steps so a stop request is honoured quickly."""
    end = time.monotonic() + seconds
    while not stop.requested and time.monotonic() < end:
        time.sleep(min(0.1, seconds))
