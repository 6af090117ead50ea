"""After a retention purge the chain starts at a base that an audited purge row names (ADR 0038).

Runs on both databases: the purge's partition drop is simulated by deleting the oldest rows as
the table owner (the drop itself is tested on PostgreSQL in tests/apps/norms/test_partitions_pg.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from guifan.apps.audit.models import AuditHead
from guifan.apps.audit.selectors import audit_verify
from guifan.apps.audit.services import audit_purge_record, audit_record
from guifan.apps.customers.models import Customer

pytestmark = pytest.mark.django_db
LO = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
HI = dt.datetime(2019, 2, 1, tzinfo=dt.UTC)


def _drop_through(last_id: int) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")
        cur.execute("DELETE FROM audit_auditentry WHERE id <= %s", [last_id])
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = DEFAULT")


def _rows(clock) -> list:
    customer = Customer.objects.create(name="赵六", phone="13912345678")
    return [
        audit_record(actor="t", action="edit", obj=customer, before={}, after={"i": i})
        for i in range(4)
    ]


def test_a_purge_row_naming_the_base_keeps_the_chain_intact(clock):
    rows = _rows(clock)
    base = rows[1]
    audit_purge_record(
        table="audit_auditentry", month="2019-01", rows=2, lo=LO, hi=HI, base=(base.id, base.hash)
    )
    _drop_through(base.id)

    report = audit_verify()

    assert report.intact, report.broken
    assert report.rows == 3  # two left of the four, and the purge row
    head = AuditHead.objects.get(pk=1)
    assert (head.base_seq, head.base_hash) == (base.id, base.hash)


def test_rows_deleted_without_a_purge_row_still_break_the_chain(clock):
    rows = _rows(clock)
    _drop_through(rows[1].id)

    report = audit_verify()

    assert not report.intact
    assert report.broken.problem.startswith("row 1 is missing")


def test_a_base_that_no_purge_row_names_is_a_break(clock):
    rows = _rows(clock)
    audit_purge_record(
        table="audit_auditentry",
        month="2019-01",
        rows=1,
        lo=LO,
        hi=HI,
        base=(rows[0].id, rows[0].hash),
    )
    _drop_through(rows[1].id)  # one row more than the purge named
    AuditHead.objects.filter(pk=1).update(base_seq=rows[1].id, base_hash=rows[1].hash)

    report = audit_verify()

    assert not report.intact
    assert "no purge row names it" in report.broken.problem
