"""Writing the audit log (SEC-02). The only code that inserts ``AuditEntry`` rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction

from guifan.apps.audit.chain import canonical, changed_only, entry_hash
from guifan.apps.audit.models import GENESIS, AuditEntry, AuditHead, AuditKind
from guifan.clock import now as clock_now
from guifan.requestid import current_request_id

# A person (the project's user model: the audit app sits below accounts and imports no app
# above it), a label such as "cli", or None for the system (worker, timers).
Actor = AbstractBaseUser | str | None


def audit_snapshot(obj: models.Model, *, exclude: Sequence[str] = ()) -> dict[str, Any]:
    """The stored values of ``obj``'s own columns, for ``before``/``after``."""
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in exclude and f.name not in exclude
    }


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> AuditEntry:
    """Append one change of ``obj``: only the fields that differ are kept, phones masked.

    Call it inside the service's transaction, after the change, so the row commits (or
    rolls back) with the change it describes.
    """
    return audit_records(actor=actor, changes=[(action, obj, before, after)])[0]


def audit_records(
    *,
    actor: Actor,
    changes: Sequence[tuple[str, models.Model, Mapping[str, Any], Mapping[str, Any]]],
) -> list[AuditEntry]:
    """Append several changes at once: ``(action, obj, before, after)`` each, chained in the
    order given, under one lock of the head and with one INSERT (an intake's customer,
    address and order; a CRM file's levels). The rows are those ``audit_record`` would
    append one by one."""
    rows = []
    for action, obj, before, after in changes:
        old, new = changed_only(before, after)
        rows.append(
            _Row(
                kind=AuditKind.CHANGE,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                before=old,
                after=new,
            )
        )
    return _append_rows(actor, rows)


def audit_read(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | Sequence[models.Model],
    fields: Sequence[str],
) -> AuditEntry | None:
    """Record that ``actor`` saw the personal data ``fields`` of one object or of a list.

    A list is one row naming the ids it showed; an empty list shows no one and is not kept.
    """
    if isinstance(obj, models.Model):
        object_type, object_id, shown = obj._meta.label_lower, str(obj.pk), {}
    else:
        if not obj:
            return None
        object_type, object_id = obj[0]._meta.label_lower, ""
        shown = {"ids": [o.pk for o in obj]}
    return _append(
        actor=actor,
        kind=AuditKind.READ,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before={},
        after={"fields": list(fields), **shown},
    )


PURGE_ACTION = "retention.purge"
PURGE_OBJECT = "retention.partition"


@transaction.atomic
def audit_purge_record(
    *,
    table: str,
    month: str,
    rows: int,
    lo: dt.datetime,
    hi: dt.datetime,
    base: tuple[int, str] | None = None,
) -> AuditEntry:
    """Append the row that records dropping one month of a ledger (ADR 0038).

    ``base`` is the last audit row of a dropped audit month: the chain now starts after it,
    the head remembers it, and verification accepts the restart only because this row,
    itself in the chain, names it.
    """
    after: dict[str, Any] = {
        "table": table,
        "month": month,
        "rows": rows,
        "from": lo.isoformat(),
        "to": hi.isoformat(),
    }
    if base is not None:
        after |= {"base_seq": base[0], "base_hash": base[1]}
    entry = _append(
        actor="system:retention",
        kind=AuditKind.CHANGE,
        action=PURGE_ACTION,
        object_type=PURGE_OBJECT,
        object_id=f"{table}:{month}"[:40],
        before={},
        after=after,
    )
    if base is not None:
        AuditHead.objects.filter(pk=1).update(base_seq=base[0], base_hash=base[1])
    return entry


def actor_of(actor: Actor) -> tuple[int | None, str]:
    """The user id (if a person) and the label kept with it: ``role:username``."""
    if isinstance(actor, AbstractBaseUser):
        return actor.pk, f"{getattr(actor, 'role', '')}:{actor.get_username()}"
    return None, actor or "system"


@dataclass(frozen=True, slots=True)
class _Row:
    kind: str
    action: str
    object_type: str
    object_id: str
    before: Mapping[str, Any]
    after: Mapping[str, Any]


def _append(
    *,
    actor: Actor,
    kind: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> AuditEntry:
    row = _Row(kind, action, object_type, object_id, before, after)
    return _append_rows(actor, [row])[0]


# No savepoint of its own (two statements per row saved): a failed append fails the caller's
# transaction, which must not commit its change without the row anyway.
@transaction.atomic(savepoint=False)
def _append_rows(actor: Actor, rows: Sequence[_Row]) -> list[AuditEntry]:
    if not rows:
        return []
    # Two writers must not both extend the same last row (a fork): the head row is locked
    # until the caller's transaction ends, so appends are serialised in commit order.
    head = _head_lock()
    actor_id, label = actor_of(actor)
    at, request_id = clock_now(), current_request_id()
    entries = []
    seq, prev = head.seq, head.hash
    for row in rows:
        seq += 1
        entry = AuditEntry(
            id=seq,
            at=at,
            actor_id=actor_id,
            actor_label=label[:200],
            kind=row.kind,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id[:40],
            before=canonical(row.before),
            after=canonical(row.after),
            request_id=request_id,
            prev_hash=prev,
        )
        entry.hash = prev = entry_hash(entry)
        entries.append(entry)
    if len(entries) == 1:
        entries[0].save()
    else:
        AuditEntry.objects.bulk_create(entries)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return entries


def _head_lock() -> AuditHead:
    try:
        return AuditHead.objects.select_for_update().get(pk=1)
    except AuditHead.DoesNotExist:
        pass
    # First append on an empty database (or after a test flush): start the head from the
    # last row, if any. A concurrent first writer loses the insert race and locks the winner's.
    last = AuditEntry.objects.order_by("-id").first()
    try:
        with transaction.atomic():
            AuditHead.objects.create(
                pk=1, seq=last.id if last else 0, hash=last.hash if last else GENESIS
            )
    except IntegrityError:
        pass
    return AuditHead.objects.select_for_update().get(pk=1)
