"""Reading the audit log: an object's history and the chain's verification."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet

from guifan.apps.audit.chain import entry_hash
from guifan.apps.audit.models import GENESIS, AuditEntry, AuditHead


@dataclass(frozen=True, slots=True)
class Break:
    """The first row that does not fit the chain, and why."""

    row_id: int
    at: dt.datetime | None
    object: str
    action: str
    problem: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of recomputing the chain: ``broken`` is the first bad row, if any."""

    rows: int
    head: str
    broken: Break | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def audit_history(obj: models.Model) -> QuerySet[AuditEntry]:
    """Every audit row about ``obj``, oldest first."""
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("id")


def audit_verify() -> ChainReport:
    """Recompute every hash in id order; the first row that does not fit breaks the chain.

    A row edited in place no longer matches its hash; a deleted row leaves a gap in the ids
    (and the next row's ``prev_hash`` names a hash that is gone); rows deleted from the end
    no longer reach the head row.
    """
    expected_id, prev, rows = 1, GENESIS, 0
    for row in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        problem = ""
        if row.id != expected_id:
            problem = f"row {expected_id} is missing (deleted)"
        elif row.prev_hash != prev:
            problem = "previous hash does not match (the row before was edited or deleted)"
        elif entry_hash(row) != row.hash:
            problem = "content does not match its hash (row edited)"
        if problem:
            where = f"{row.object_type}#{row.object_id}"
            return ChainReport(rows, prev, Break(row.id, row.at, where, row.action, problem))
        expected_id, prev, rows = row.id + 1, row.hash, rows + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (rows, prev):
        problem = f"the head names row {head.seq} but the chain ends at row {rows} (tail deleted)"
        return ChainReport(rows, prev, Break(head.seq, None, "", "", problem))
    return ChainReport(rows, prev)
