"""On PostgreSQL: concurrent writers never fork the chain, and the database refuses edits."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction
from typer.testing import CliRunner

from guifan.apps.audit.models import AuditEntry
from guifan.apps.audit.services import audit_record
from guifan.apps.customers.models import Customer
from guifan.cli import app

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
THREADS, EACH = 8, 15


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL)")


def test_concurrent_writers_append_one_unbroken_chain(clock):
    customer = Customer.objects.create(name="赵六", phone="13912345678")
    start, errors = threading.Barrier(THREADS), []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                with transaction.atomic():
                    audit_record(
                        actor=f"writer{n}", action="edit", obj=customer, before={}, after={"i": i}
                    )
        except Exception as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = list(AuditEntry.objects.order_by("id"))
    assert [r.id for r in rows] == list(range(1, THREADS * EACH + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{THREADS * EACH} rows, chain intact")


def test_the_database_refuses_to_update_or_delete_an_audit_row(clock):
    row = audit_record(
        actor=None,
        action="x",
        obj=Customer.objects.create(name="钱七", phone="13912345678"),
        before={},
        after={},
    )
    for sql in (
        "UPDATE audit_auditentry SET action = 'y' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
        "DELETE FROM audit_audithead WHERE id = 1 AND %s > 0",
        "UPDATE audit_audithead SET seq = seq - 1 WHERE %s > 0",
    ):
        with (
            pytest.raises(DatabaseError, match="SEC-02"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [row.id])
    assert AuditEntry.objects.get().action == "x"
