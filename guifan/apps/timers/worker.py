"""``guifan worker``: fires due durable timers, then runs queued django-tasks.

Timers are read from the Timer table against the injected clock; queued tasks come from
django-tasks-db (claimed with SKIP LOCKED by its own queryset).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable

from django.db import close_old_connections

from guifan.apps.timers.services import timer_fire_next
from guifan.clock import now as clock_now

log = logging.getLogger(__name__)


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
) -> int:
    """Fire what is due now and drain the task queue; return how many items ran."""
    ran = 0
    while (max_items is None or ran < max_items) and not stopping():
        if timer_fire_next(now=clock_now(), worker_id=worker_id) is None:
            break
        ran += 1
        if pause:
            time.sleep(pause)
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        while (
            (max_items is None or ran < max_items) and not stopping() and _run_one_task(worker_id)
        ):
            ran += 1
    return ran


class _Stop:
    """SIGTERM / SIGINT end the loop after the item in hand (each item is its own transaction)."""

    def __init__(self) -> None:
        self.requested = False
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._request)

    def _request(self, signum: int, frame: object) -> None:
        self.requested = True


def run_worker(
    *,
    batch: bool,
    interval: float,
    max_items: int | None,
    worker_id: str | None,
    pause: float = 0.0,
) -> int:
    worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}"
    stop = _Stop()
    total = 0
    while not stop.requested:
        close_old_connections()
        left = None if max_items is None else max_items - total
        ran = worker_tick(
            worker_id=worker_id, max_items=left, pause=pause, stopping=lambda: stop.requested
        )
        total += ran
        if max_items is not None and total >= max_items:
            break
        if batch and ran == 0:
            break
        if ran == 0:
            _sleep(interval, stop)
    log.info("worker %s ran %d items", worker_id, total)
    return total


def _sleep(seconds: float, stop: _Stop) -> None:
    """Sleep in short steps so a stop request is honoured quickly."""
    end = time.monotonic() + seconds
    while not stop.requested and time.monotonic() < end:
        time.sleep(min(0.1, seconds))
