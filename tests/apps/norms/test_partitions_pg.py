"""On PostgreSQL: the ledgers are partitioned by month, a month without a partition never
fails an insert, and the purge drops only months nobody needs (ADR 0038)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from guifan import clock as clock_mod
from guifan import partitioning
from guifan.apps.audit.models import AuditEntry, AuditHead
from guifan.apps.audit.selectors import audit_verify
from guifan.apps.audit.services import audit_record
from guifan.apps.customers.models import Customer
from guifan.apps.norms.models import NormCheck, NormDay
from guifan.apps.norms.retention import (
    MAINTAIN_KIND,
    on_maintain,
    partitions_ensure,
    partitions_purge,
)
from guifan.apps.norms.rollup import norm_days_rebuild
from guifan.apps.orders.choices import Status
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.apps.timers.models import Timer
from guifan.clock import FixedClock, at_local
from guifan.partitioning import Month
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
TABLES = ("norms_normcheck", "orders_orderevent", "audit_auditentry")


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL)")


def _parts(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [p.name for p in partitioning.partitions(cursor, table)]


def _where(table: str, row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


def _check(at: dt.datetime, *, order: WorkOrder | None = None, kept: bool = True) -> NormCheck:
    return NormCheck.objects.create(
        norm_id="APT-07", kept=kept, at=at, order=order, area_code="A01", person="p1"
    )


def _day_count(day: dt.date) -> int:
    cell = NormDay.objects.filter(grain=NormDay.Grain.NORM, day=day, norm_id="APT-07").first()
    return cell.checked if cell else 0


def test_each_ledger_is_partitioned_with_months_ahead_and_a_default(clock):
    partitions_ensure(now=clock.now(), ahead=3)
    for table in TABLES:
        names = _parts(table)
        for m in range(4):
            assert table + Month.of(clock.now()).plus(m).suffix() in names, (table, names)
        assert names[-1] == table + "_default"


def test_a_month_without_partition_takes_the_insert_and_the_job_splits_it_out(clock):
    far = at_local(dt.date(2031, 5, 20), "09:30")  # no partition for 2031-05 exists
    check = _check(far, kept=False)
    order = factories.order()
    event = OrderEvent.objects.create(order=order, action="note", at=far)
    assert _where("norms_normcheck", check.id) == "norms_normcheck_default"
    assert _where("orders_orderevent", event.id) == "orders_orderevent_default"
    assert _day_count(far.date()) == 1

    made = partitions_ensure(now=clock.now(), ahead=1)

    assert "norms_normcheck_p203105" in made["norms_normcheck"]
    assert _where("norms_normcheck", check.id) == "norms_normcheck_p203105"
    assert _where("orders_orderevent", event.id) == "orders_orderevent_p203105"
    # Moving the row fired no roll-up trigger: the day still counts it once.
    assert _day_count(far.date()) == 1
    # The new month has the parent's triggers: a later insert there counts.
    _check(far + dt.timedelta(hours=1))
    assert _day_count(far.date()) == 2


def test_an_audit_row_for_a_month_without_partition_keeps_the_chain(clock):
    customer = Customer.objects.create(name="赵六", phone="13912345678")
    previous = clock_mod.set_clock(FixedClock(at_local(dt.date(2032, 1, 5), "10:00")))
    try:
        row = audit_record(actor="t", action="edit", obj=customer, before={}, after={"x": 1})
    finally:
        clock_mod.set_clock(previous)
    assert _where("audit_auditentry", row.id) == "audit_auditentry_default"
    partitions_ensure(now=clock.now(), ahead=0)
    assert _where("audit_auditentry", row.id) == "audit_auditentry_p203201"
    assert audit_verify().intact


def _old_month_with_checks(clock, *, status: str) -> tuple[Month, WorkOrder]:
    order = factories.order()
    WorkOrder.objects.filter(id=order.id).update(status=status)
    old = at_local(dt.date(2021, 3, 10), "11:00")  # 51 months before the clock: expired
    _check(old, order=order)
    _check(old + dt.timedelta(days=1))
    OrderEvent.objects.create(order=order, action="note", at=old)
    partitions_ensure(now=clock.now(), ahead=0)
    return Month.of(old), order


def test_purge_drops_an_expired_month_and_the_roll_ups_keep_its_counts(clock):
    _old_month_with_checks(clock, status=Status.CLOSED)
    day = dt.date(2021, 3, 10)
    assert _day_count(day) == 1

    result = partitions_purge(now=clock.now())

    dropped = {(p.table, p.month) for p in result if p.dropped}
    assert ("norms_normcheck", "2021-03") in dropped
    assert ("orders_orderevent", "2021-03") in dropped
    assert "norms_normcheck_p202103" not in _parts("norms_normcheck")
    assert not NormCheck.objects.filter(at__year=2021).exists()
    assert _day_count(day) == 1  # dropping a partition fires no delete trigger
    norm_days_rebuild()  # recomputes only the days the ledger still holds
    assert _day_count(day) == 1
    purge_rows = AuditEntry.objects.filter(action="retention.purge")
    assert {r.object_id for r in purge_rows} >= {"norms_normcheck:2021-03"}
    assert audit_verify().intact


def test_purge_refuses_a_month_that_an_open_order_still_needs(clock):
    _, order = _old_month_with_checks(clock, status=Status.SCHEDULED)

    result = partitions_purge(now=clock.now())

    refused = {p.table: p.refused for p in result if p.refused}
    assert any(str(order.id) in r for r in refused["norms_normcheck"]), refused
    assert "orders_orderevent" in refused
    assert "norms_normcheck_p202103" in _parts("norms_normcheck")
    assert NormCheck.objects.filter(at__year=2021).count() == 2


def test_purge_refuses_checks_the_roll_ups_do_not_count(clock):
    _old_month_with_checks(clock, status=Status.CLOSED)
    NormDay.objects.filter(day=dt.date(2021, 3, 11)).delete()  # as if never rolled up

    result = partitions_purge(now=clock.now())

    checks = next(p for p in result if p.table == "norms_normcheck")
    assert not checks.dropped
    assert any("日汇总" in r for r in checks.refused)
    assert NormCheck.objects.filter(at__year=2021).count() == 2


def test_dry_run_drops_nothing(clock):
    _old_month_with_checks(clock, status=Status.CLOSED)
    result = partitions_purge(now=clock.now(), dry_run=True)
    assert result and not any(p.dropped or p.refused for p in result if p.month == "2021-03")
    assert "norms_normcheck_p202103" in _parts("norms_normcheck")


def test_audit_purge_restarts_the_chain_after_an_audited_base(clock):
    customer = Customer.objects.create(name="赵六", phone="13912345678")  # no audit row
    previous = clock_mod.set_clock(FixedClock(at_local(dt.date(2018, 4, 2), "10:00")))
    try:
        old = [
            audit_record(actor="t", action="edit", obj=customer, before={}, after={"i": i})
            for i in range(3)
        ]
    finally:
        clock_mod.set_clock(previous)
    audit_record(actor="t", action="edit", obj=customer, before={}, after={"i": "now"})
    partitions_ensure(now=clock.now(), ahead=0)

    result = partitions_purge(now=clock.now())

    audit = next(p for p in result if p.table == "audit_auditentry" and p.month == "2018-04")
    assert audit.dropped, audit.refused
    head = AuditHead.objects.get(pk=1)
    assert (head.base_seq, head.base_hash) == (old[-1].id, old[-1].hash)
    assert not AuditEntry.objects.filter(id__lte=old[-1].id).exists()
    assert audit_verify().intact
    # A base moved without a purge row naming it is a break, not a restart.
    AuditHead.objects.filter(pk=1).update(base_seq=old[-1].id + 1)
    assert not audit_verify().intact


def test_the_daily_timer_runs_the_job_and_arms_the_next_day(clock):
    far = at_local(dt.date(2030, 8, 1), "08:00")
    check = _check(far)
    timer = Timer.objects.create(
        kind=MAINTAIN_KIND, key="partitions:test", due_at=clock.now(), created_at=clock.now()
    )
    result = on_maintain(timer, clock.now())
    assert "norms_normcheck_p203008" in result["made"]["norms_normcheck"]
    assert _where("norms_normcheck", check.id) == "norms_normcheck_p203008"
    nxt = Timer.objects.filter(kind=MAINTAIN_KIND, status="pending").exclude(id=timer.id).get()
    assert nxt.due_at == at_local(dt.date(2025, 6, 3), "03:00")


def test_the_migration_reverses_to_a_plain_table_and_converts_again(clock):
    first = _check(at_local(dt.date(2025, 6, 2), "09:00"))
    with connection.cursor() as cursor:
        partitioning.unconvert(cursor, "norms_normcheck", key="at")
        assert not partitioning.is_partitioned(cursor, "norms_normcheck")
        second = _check(at_local(dt.date(2025, 6, 2), "09:30"))  # identity and trigger back
        assert _day_count(dt.date(2025, 6, 2)) == 2
        partitioning.convert(cursor, "norms_normcheck", key="at", now=clock.now(), ahead=2)
        assert partitioning.is_partitioned(cursor, "norms_normcheck")
    assert _where("norms_normcheck", first.id) == "norms_normcheck_p202506"
    assert _day_count(dt.date(2025, 6, 2)) == 2  # the copies fired no trigger
    third = _check(at_local(dt.date(2025, 6, 2), "10:00"))
    assert third.id > second.id > first.id  # the sequence continues after the copied ids
    assert _day_count(dt.date(2025, 6, 2)) == 3
