"""One plan at a time per service area, whichever process asks (issue 18 §5, ADR 0039).

On PostgreSQL a session advisory lock keyed by the area's id: the plan reads and solves
outside any transaction (seconds of solver time), so a transaction-scoped lock would not
cover it; the server drops a session lock when the holder's connection ends, so a killed
worker never leaves an area locked. Workers must therefore hold their own connection for
the task (a direct or session-pooled connection, not pgbouncer's transaction mode).

SQLite is the single-process demo and test database: a lock per area inside the process
stands in (two processes on one SQLite file are not a supported deployment).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from guifan.apps.workforce.models import ServiceArea
from guifan.errors import Conflict

# The first key of the two-key advisory lock: the area plans' own space ("DP" in ASCII), so
# other advisory locks keyed by an id do not collide with these.
LOCK_SPACE = 0x4450

_local_locks: dict[int, threading.Lock] = {}
_local_guard = threading.Lock()


def _local_lock(area_id: int) -> threading.Lock:
    with _local_guard:
        return _local_locks.setdefault(area_id, threading.Lock())


@contextmanager
def area_plan_lock(area: ServiceArea) -> Iterator[None]:
    """Hold the area's plan lock for the block, or raise ``area.busy`` (409) at once.

    Never waits: a second plan of the same area is refused with the reason, and the
    caller decides (the board shows it, a queued run tries again later). On PostgreSQL the
    lock is re-entrant within one connection (one thread): only another worker is refused.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, area.id])
            got = c.fetchone()[0]
        if not got:
            raise _busy(area)
        try:
            yield
        finally:
            with connection.cursor() as c:
                c.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, area.id])
        return
    lock = _local_lock(area.id)
    if not lock.acquire(blocking=False):
        raise _busy(area)
    try:
        yield
    finally:
        lock.release()


def _busy(area: ServiceArea) -> Conflict:
    return Conflict(
        "area.busy",
        f"片区 {area.code} 正在排程，请稍后再试",
        field="area",
    )
