"""Months ahead and retention of the partitioned ledgers on PostgreSQL (ADR 0038).

``partitions_ensure`` keeps the current month and the next ``GUIFAN_PARTITION_MONTHS_AHEAD``
ready and moves rows that landed in a DEFAULT partition into their own month;
``partitions_purge`` drops whole months older than the SEC-02 retention parameters, unless a
hold refuses: apps register holds (``retention_hold_register``) naming what in a month is
still referenced. Both run daily on the worker as the ``partitions.maintain`` timer. On SQLite
the ledgers are single tables and both do nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django_tasks import task

from guifan import partitioning
from guifan.apps.audit.services import audit_purge_record
from guifan.apps.norms.selectors import norms_snapshot
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.apps.timers.services import timer_schedule, timers_purge_before
from guifan.clock import ZONE
from guifan.clock import now as clock_now
from guifan.partitioning import Month


@dataclass(frozen=True, slots=True)
class Ledger:
    table: str
    param: str  # SEC-02 parameter: months kept
    key: str = "at"


LEDGERS = (
    Ledger("norms_normcheck", "norm_check_retention_months"),
    Ledger("orders_orderevent", "order_event_retention_months"),
    Ledger("audit_auditentry", "audit_retention_months"),
)
MAINTAIN_KIND = "partitions.maintain"
MAINTAIN_AT = dt.time(3, 0)  # local: the quiet hour before the day's first visits

# A hold answers, for one ledger's month [lo, hi), why it may not be dropped yet ([] if it may).
Hold = Callable[[Any, str, dt.datetime, dt.datetime], list[str]]
HOLDS: list[Hold] = []


def retention_hold_register(fn: Hold) -> Hold:
    if fn not in HOLDS:
        HOLDS.append(fn)
    return fn


@dataclass(slots=True)
class MonthPurge:
    table: str
    month: str
    dropped: bool = False
    rows: int = 0
    refused: list[str] = field(default_factory=list)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def partitions_ensure(*, now: dt.datetime, ahead: int | None = None) -> dict[str, list[str]]:
    """Create the missing months from the current one through ``ahead`` months later, and
    split out of DEFAULT every month that has rows there; return the partitions made."""
    if not _postgres():
        return {}
    ahead = settings.GUIFAN_PARTITION_MONTHS_AHEAD if ahead is None else ahead
    current = Month.of(now)
    made: dict[str, list[str]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for ledger in LEDGERS:
            if not partitioning.is_partitioned(cursor, ledger.table):
                continue
            months = set(current.upto(current.plus(ahead)))
            months |= set(partitioning.default_months(cursor, ledger.table, key=ledger.key))
            made[ledger.table] = partitioning.ensure_months(
                cursor, ledger.table, key=ledger.key, months=sorted(months)
            )
    return made


def _bounds(month: Month) -> tuple[dt.datetime, dt.datetime]:
    lo = dt.datetime.combine(month.start, dt.time(), ZONE)
    hi = dt.datetime.combine(month.plus(1).start, dt.time(), ZONE)
    return lo, hi


def partitions_purge(*, now: dt.datetime, dry_run: bool = False) -> list[MonthPurge]:
    """Drop, oldest first, each month that ended more than its retention ago; a month a hold
    refuses is kept, and so is every later month of that ledger (the ledger stays contiguous,
    which the audit chain needs)."""
    if not _postgres():
        return []
    ns = norms_snapshot()
    out: list[MonthPurge] = []
    for ledger in LEDGERS:
        keep = int(ns.param("SEC-02", ledger.param))
        first_kept = Month.of(now).plus(-keep)
        with connection.cursor() as cursor:
            if not partitioning.is_partitioned(cursor, ledger.table):
                continue
            olds = [
                p.month
                for p in partitioning.partitions(cursor, ledger.table)
                if p.month and p.month < first_kept
            ]
        for month in olds:
            result = _purge_month(ledger, month, dry_run=dry_run)
            out.append(result)
            if result.refused:
                break
    return out


def _purge_month(ledger: Ledger, month: Month, *, dry_run: bool) -> MonthPurge:
    lo, hi = _bounds(month)
    result = MonthPurge(ledger.table, f"{month.start:%Y-%m}")
    name = ledger.table + month.suffix()
    with transaction.atomic(), connection.cursor() as cursor:
        # The month's rows stay as they are while holds look at them and it is dropped.
        cursor.execute(f'LOCK TABLE "{name}" IN SHARE MODE')
        cursor.execute(f'SELECT COUNT(*), MAX(id) FROM "{name}"')
        result.rows, last_id = cursor.fetchone()
        for hold in HOLDS:
            result.refused.extend(hold(cursor, ledger.table, lo, hi))
        if ledger.table == "audit_auditentry":
            result.refused.extend(_audit_hold(cursor, name))
        if result.refused or dry_run:
            return result
        base: tuple[int, str] | None = None
        if ledger.table == "audit_auditentry" and last_id is not None:
            cursor.execute(f'SELECT id, hash FROM "{name}" WHERE id = %s', [last_id])
            base = cursor.fetchone()
        audit_purge_record(
            table=ledger.table, month=result.month, rows=result.rows, lo=lo, hi=hi, base=base
        )
        partitioning.drop_month(cursor, ledger.table, month)
        result.dropped = True
    return result


def _audit_hold(cursor: Any, name: str) -> list[str]:
    # The chain restarts after the dropped month's last row: it must be the oldest month
    # left (no older row anywhere, DEFAULT included), and not hold the head row.
    cursor.execute(f'SELECT MIN(id), MAX(id) FROM "{name}"')
    first, last = cursor.fetchone()
    if first is None:
        return []
    cursor.execute("SELECT seq, base_seq FROM audit_audithead WHERE id = 1")
    head = cursor.fetchone()
    reasons = []
    if head and last >= head[0]:
        reasons.append("审计：该月含链头记录")
    cursor.execute("SELECT 1 FROM audit_auditentry WHERE id < %s LIMIT 1", [first])
    if cursor.fetchone():
        reasons.append("审计：更早的审计记录仍在，链须从最早一月依次清理")
    return reasons


@retention_hold_register
def _rollups_counted(cursor: Any, table: str, lo: dt.datetime, hi: dt.datetime) -> list[str]:
    """A month of checks goes only when the daily roll-ups count every one of its checks."""
    if table != "norms_normcheck":
        return []
    cursor.execute(
        "SELECT (SELECT COUNT(*) FROM norms_normcheck WHERE at >= %s AND at < %s), "
        "(SELECT COALESCE(SUM(checked), 0) FROM norms_normday WHERE grain = 3 "
        "AND day >= %s AND day < %s)",
        [lo, hi, lo.date(), hi.date()],
    )
    checks, counted = cursor.fetchone()
    if checks != counted:
        return [f"日汇总未计算完：本月核查 {checks} 条，日汇总计 {counted} 条"]
    return []


def partitions_maintain(*, now: dt.datetime) -> dict[str, Any]:
    made = partitions_ensure(now=now)
    purged = partitions_purge(now=now)
    # Timers stay one table (ADR 0038); settled ones older than the setting go, on both
    # databases.
    cutoff = now - dt.timedelta(days=settings.GUIFAN_TIMER_RETENTION_DAYS)
    timers = timers_purge_before(cutoff=cutoff)
    return {
        "timers_deleted": timers,
        "made": made,
        "dropped": [f"{p.table}:{p.month}" for p in purged if p.dropped],
        "refused": {f"{p.table}:{p.month}": p.refused for p in purged if p.refused},
    }


def partitions_timer_arm(*, now: dt.datetime) -> Timer:
    """Arm the next daily run (03:00 local after ``now``); arming twice is one timer."""
    local = now.astimezone(ZONE)
    day = local.date() if local.time() < MAINTAIN_AT else local.date() + dt.timedelta(days=1)
    due = dt.datetime.combine(day, MAINTAIN_AT, ZONE)
    return timer_schedule(kind=MAINTAIN_KIND, key=f"partitions:{day.isoformat()}", due_at=due)


@handler(MAINTAIN_KIND, "分区维护")
def on_maintain(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    result = partitions_maintain(now=now)
    partitions_timer_arm(now=now)
    return result


@task()
def partitions_maintain_task() -> dict[str, Any]:
    """The same run on demand through the task queue (e.g. after a long worker outage)."""
    return partitions_maintain(now=clock_now())
