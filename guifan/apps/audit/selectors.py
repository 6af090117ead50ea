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
    no longer reach the head row. After a retention purge (ADR 0038) the chain starts after
    the head's ``base_seq``/``base_hash``, which an audited purge row must name.
    """
    head = AuditHead.objects.filter(pk=1).first()
    base_seq, base_hash = (head.base_seq, head.base_hash) if head else (0, GENESIS)
    expected_id, prev, rows = base_seq + 1, base_hash, 0
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
    last = expected_id - 1
    if base_seq and not _purge_names_base(base_seq, base_hash):
        problem = f"the chain starts after row {base_seq} but no purge row names it"
        return ChainReport(rows, prev, Break(base_seq, None, "", "", problem))
    if head is not None and (head.seq, head.hash) != (last, prev):
        problem = f"the head names row {head.seq} but the chain ends at row {last} (tail deleted)"
        return ChainReport(rows, prev, Break(head.seq, None, "", "", problem))
    return ChainReport(rows, prev)


def _purge_names_base(seq: int, digest: str) -> bool:
    # ``after`` is the hashed canonical JSON text: sorted keys, no spaces.
    return AuditEntry.objects.filter(
        action="retention.purge",
        after__contains=f'"base_hash":"{digest}","base_seq":{seq},',
    ).exists()
