"""``guifan audit verify`` recomputes the chain and names the first row that was tampered with."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from typer.testing import CliRunner

from guifan.apps.audit.services import audit_record
from guifan.apps.customers.models import Customer
from guifan.cli import app

pytestmark = pytest.mark.django_db


@contextmanager
def _as_database_owner() -> Iterator[None]:
    """Raw SQL as someone with direct database access; on PostgreSQL, with triggers off."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            if connection.vendor == "postgresql":
                cur.execute("SET session_replication_role = DEFAULT")


def _rows(n: int) -> list[int]:
    c = Customer.objects.create(name="王五", phone="13912345678")
    return [
        audit_record(actor=None, action=f"step{i}", obj=c, before={}, after={"i": i}).id
        for i in range(n)
    ]


def _sql(statement: str, *params: object) -> None:
    with _as_database_owner(), connection.cursor() as cur:
        cur.execute(statement, params)


def test_an_intact_chain_exits_0_with_a_summary(clock):
    _rows(4)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("4 rows, chain intact")


def test_an_empty_log_is_intact(clock):
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0
    assert "0 rows, chain intact" in result.output


def test_a_row_edited_with_raw_sql_is_named(clock):
    ids = _rows(4)
    _sql("UPDATE audit_auditentry SET after = %s WHERE id = %s", '{"i":99}', ids[2])
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"chain broken at row {ids[2]} (2025-06-02 10:00:00+0800, customers.customer#" in (
        result.output
    )
    assert "step2" in result.output and "row edited" in result.output


def test_a_deleted_row_is_found_at_the_gap(clock):
    ids = _rows(4)
    _sql("DELETE FROM audit_auditentry WHERE id = %s", ids[1])
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"chain broken at row {ids[2]}" in result.output
    assert f"row {ids[1]} is missing" in result.output


def test_a_rehashed_row_still_breaks_the_next_link(clock):
    ids = _rows(3)
    # The attacker edits a row and gives it a fresh hash of their own: the next row points
    # at the old one.
    _sql("UPDATE audit_auditentry SET hash = %s WHERE id = %s", "f" * 64, ids[0])
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"chain broken at row {ids[0]}" in result.output


def test_rows_deleted_from_the_end_are_found_through_the_head(clock):
    ids = _rows(3)
    _sql("DELETE FROM audit_auditentry WHERE id = %s", ids[2])
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "tail deleted" in result.output
