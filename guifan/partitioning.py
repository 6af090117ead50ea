"""Monthly range partitions of PostgreSQL's append-only ledgers (ADR 0038).

Plain DDL on a DB-API cursor, no models: the migrations that convert a table and the jobs that
keep it (``guifan.apps.norms.retention``) share it, and it imports no app. A table is
partitioned on a timestamp column by *local* month (Asia/Shanghai, UTC+8 without daylight
saving since 1991), so one partition holds the local days the roll-ups count. Each table has a
DEFAULT partition: an insert for a month nobody created yet lands there, never fails, and
``ensure_months`` later moves those rows into their own month.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

OFFSET = "+08"  # Asia/Shanghai; partition bounds are local midnights on the 1st
MONTH_NAME = re.compile(r"_p(\d{4})(\d{2})$")


class PartitionError(RuntimeError):
    """The table cannot be converted or a partition cannot be changed as asked."""


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A local calendar month; ``start`` is its first day."""

    start: dt.date

    @classmethod
    def of(cls, value: dt.date | dt.datetime) -> Month:
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        return cls(value.replace(day=1))

    def plus(self, months: int) -> Month:
        n = self.start.year * 12 + self.start.month - 1 + months
        return Month(dt.date(n // 12, n % 12 + 1, 1))

    def bound(self) -> str:
        return f"'{self.start.isoformat()} 00:00:00{OFFSET}'"

    def suffix(self) -> str:
        return f"_p{self.start:%Y%m}"

    def upto(self, last: Month) -> list[Month]:
        out, m = [], self
        while m.start <= last.start:
            out.append(m)
            m = m.plus(1)
        return out


@dataclass(frozen=True, slots=True)
class Partition:
    name: str
    month: Month | None  # None: the DEFAULT partition


def _q(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise PartitionError(f"unexpected identifier {name!r}")
    return f'"{name}"'


def _rows(cursor: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    cursor.execute(sql, params)
    return list(cursor.fetchall())


def is_partitioned(cursor: Any, table: str) -> bool:
    return bool(
        _rows(
            cursor,
            "SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'p' "
            "AND relnamespace = 'public'::regnamespace",
            [table],
        )
    )


def partitions(cursor: Any, table: str) -> list[Partition]:
    """The table's partitions, months in order, the DEFAULT one last."""
    names = [
        r[0]
        for r in _rows(
            cursor,
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [table],
        )
    ]
    out = []
    for name in names:
        m = MONTH_NAME.search(name)
        out.append(Partition(name, Month(dt.date(int(m[1]), int(m[2]), 1)) if m else None))
    return sorted(out, key=lambda p: (p.month is None, p.month.start if p.month else dt.date.min))


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a table carries besides its columns, captured before it is rebuilt."""

    pk: list[str]
    uniques: list[tuple[str, list[str]]]
    indexes: list[str]  # CREATE INDEX statements naming the table
    foreign_keys: list[tuple[str, str]]
    triggers: list[str]
    identity: str | None  # the column generated as identity (or by a sequence default)


def _shape(cursor: Any, table: str) -> _Shape:
    incoming = _rows(
        cursor,
        "SELECT conname, conrelid::regclass::text FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = %s::regclass",
        [table],
    )
    if incoming:
        # A partitioned table's keys include the partition column: a foreign key into it
        # would have to carry the timestamp too (ADR 0038 keeps these ledgers unreferenced).
        raise PartitionError(f"{table} is referenced by foreign keys: {incoming}")
    cons = _rows(
        cursor,
        "SELECT conname, contype, "
        "ARRAY(SELECT a.attname FROM unnest(conkey) WITH ORDINALITY k(n, o) "
        "JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.n ORDER BY k.o), "
        "pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY conname",
        [table],
    )
    pk: list[str] = []
    uniques, fks = [], []
    for name, kind, cols, definition in cons:
        if kind == "p":
            pk = list(cols)
        elif kind == "u":
            uniques.append((name, list(cols)))
        else:
            fks.append((name, definition))
    indexes = [
        r[0]
        for r in _rows(
            cursor,
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid"
            "  AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u'))",
            [table],
        )
    ]
    triggers = [
        r[0]
        for r in _rows(
            cursor,
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
            [table],
        )
    ]
    ident = _rows(
        cursor,
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND (attidentity <> '' OR pg_get_serial_sequence(%s, attname) "
        "IS NOT NULL)",
        [table, table],
    )
    return _Shape(pk, uniques, indexes, fks, triggers, ident[0][0] if ident else None)


def _columns(cursor: Any, table: str) -> list[str]:
    return [
        r[0]
        for r in _rows(
            cursor,
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum",
            [table],
        )
    ]


def _rebuild(cursor: Any, table: str, key: str, months: Iterable[Month] | None) -> None:
    """Rebuild ``table`` under its own name: partitioned by ``key`` if ``months`` is given
    (those months plus DEFAULT), plain otherwise; rows, indexes, keys and triggers carried over.
    """
    shape = _shape(cursor, table)
    cols = ", ".join(_q(c) for c in _columns(cursor, table))
    old = f"{table}_old"
    t, o = _q(table), _q(old)
    seq_value = None
    if shape.identity:
        ident = _q(shape.identity)
        seq_value = _rows(cursor, f"SELECT COALESCE(MAX({ident}), 0) FROM {t}")[0][0]
    # Deferred foreign-key checks queued earlier in this transaction would block the ALTERs.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"LOCK TABLE {t} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"ALTER TABLE {t} RENAME TO {o}")
    # Index and key names are schema-wide: free them for the new table.
    for name, _ in shape.uniques:
        cursor.execute(f"ALTER TABLE {o} DROP CONSTRAINT {_q(name)}")
    for name, _ in shape.foreign_keys:
        cursor.execute(f"ALTER TABLE {o} DROP CONSTRAINT {_q(name)}")
    cursor.execute(f"ALTER TABLE {o} DROP CONSTRAINT IF EXISTS {_q(table + '_pkey')}")
    for statement in shape.indexes:
        created = re.match(r"CREATE (?:UNIQUE )?INDEX (\S+) ON", statement)
        if created:
            cursor.execute(f"DROP INDEX {created[1]}")
    if shape.identity:
        # Free the sequence's name too (the old table's identity or owned sequence goes).
        ident = _q(shape.identity)
        seq_name = _rows(cursor, "SELECT pg_get_serial_sequence(%s, %s)", [old, shape.identity])
        cursor.execute(f"ALTER TABLE {o} ALTER COLUMN {ident} DROP IDENTITY IF EXISTS")
        cursor.execute(f"ALTER TABLE {o} ALTER COLUMN {ident} DROP DEFAULT")
        if seq_name and seq_name[0][0]:
            cursor.execute(f"DROP SEQUENCE IF EXISTS {seq_name[0][0]}")
    partitioned = months is not None
    tail = f" PARTITION BY RANGE ({_q(key)})" if partitioned else ""
    cursor.execute(f"CREATE TABLE {t} (LIKE {o} INCLUDING DEFAULTS INCLUDING CONSTRAINTS){tail}")
    if shape.identity:
        ident = _q(shape.identity)
        if partitioned:
            # PostgreSQL 15 allows no identity column on a partitioned table: a sequence
            # owned by the column does the same (Django resets it by pg_get_serial_sequence).
            seq = _q(f"{table}_{shape.identity}_seq")
            cursor.execute(f"CREATE SEQUENCE {seq} AS bigint")
            cursor.execute(f"ALTER SEQUENCE {seq} OWNED BY {t}.{ident}")
            cursor.execute(
                f"ALTER TABLE {t} ALTER COLUMN {ident} SET DEFAULT nextval('{seq[1:-1]}')"
            )
            if seq_value:
                cursor.execute("SELECT setval(%s, %s)", [seq[1:-1], seq_value])
        else:
            cursor.execute(
                f"ALTER TABLE {t} ALTER COLUMN {ident} ADD GENERATED BY DEFAULT AS IDENTITY"
            )
            if seq_value:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                    [table, shape.identity, seq_value],
                )

    def with_key(columns: list[str]) -> list[str]:
        if partitioned:
            return columns if key in columns else [*columns, key]
        return [c for c in columns if c != key] or columns

    if shape.pk:
        pk = with_key(shape.pk)
        cursor.execute(
            f"ALTER TABLE {t} ADD CONSTRAINT {_q(table + '_pkey')} "
            f"PRIMARY KEY ({', '.join(_q(c) for c in pk)})"
        )
    for name, columns in shape.uniques:
        cursor.execute(
            f"ALTER TABLE {t} ADD CONSTRAINT {_q(name)} "
            f"UNIQUE ({', '.join(_q(c) for c in with_key(columns))})"
        )
    for statement in shape.indexes:
        cursor.execute(statement)
    if partitioned:
        for month in months or ():
            create_month(cursor, table, month)
        cursor.execute(f"CREATE TABLE {_q(table + '_default')} PARTITION OF {t} DEFAULT")
    cursor.execute(f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {o}")
    # Foreign keys after the copy: one validating scan instead of a check per row.
    for name, definition in shape.foreign_keys:
        cursor.execute(f"ALTER TABLE {t} ADD CONSTRAINT {_q(name)} {definition}")
    cursor.execute(f"DROP TABLE {o}")
    # Triggers last, so the copy fires none (the roll-ups already count these rows).
    for statement in shape.triggers:
        cursor.execute(statement)


def convert(cursor: Any, table: str, *, key: str, now: dt.datetime, ahead: int) -> None:
    """Partition ``table`` by month of ``key``: a month per month of its rows, through
    ``ahead`` months after ``now``'s, and DEFAULT. Idempotent."""
    if is_partitioned(cursor, table):
        return
    k = _q(key)
    first = _rows(cursor, f"SELECT MIN({k}) FROM {_q(table)}")[0][0]
    current = Month.of(now)
    start = min(Month.of(first), current) if first else current
    _rebuild(cursor, table, key, start.upto(current.plus(ahead)))


def unconvert(cursor: Any, table: str, *, key: str) -> None:
    """The reverse: one plain table with the rows of every partition."""
    if is_partitioned(cursor, table):
        _rebuild(cursor, table, key, None)


def migration_steps(table: str, *, key: str) -> tuple[Callable[..., None], Callable[..., None]]:
    """A migration's ``RunPython`` pair converting ``table`` (no-ops outside PostgreSQL)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        from django.conf import settings

        from guifan.clock import now

        ahead = getattr(settings, "GUIFAN_PARTITION_MONTHS_AHEAD", 3)
        with schema_editor.connection.cursor() as cursor:
            convert(cursor, table, key=key, now=now(), ahead=ahead)

    def backward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            unconvert(cursor, table, key=key)

    return forward, backward


def create_month(cursor: Any, table: str, month: Month) -> str:
    name = table + month.suffix()
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {_q(name)} PARTITION OF {_q(table)} "
        f"FOR VALUES FROM ({month.bound()}) TO ({month.plus(1).bound()})"
    )
    return name


def ensure_months(cursor: Any, table: str, *, key: str, months: Iterable[Month]) -> list[str]:
    """Create each missing month; rows already in DEFAULT for it move into it. Returns the
    partitions created. Takes the parent's ACCESS EXCLUSIVE lock only when it must move rows.
    """
    have = {p.month for p in partitions(cursor, table) if p.month}
    made = []
    default = table + "_default"
    for month in months:
        if month in have:
            continue
        lo, hi = month.bound(), month.plus(1).bound()
        k = _q(key)
        stray = _rows(
            cursor, f"SELECT 1 FROM {_q(default)} WHERE {k} >= {lo} AND {k} < {hi} LIMIT 1"
        )
        if not stray:
            made.append(create_month(cursor, table, month))
            continue
        # Rows for this month sit in DEFAULT: move them while neither table is attached, so
        # no row trigger fires (the roll-ups counted them when they were first inserted).
        name = table + month.suffix()
        t, d, n = _q(table), _q(default), _q(name)
        cols = ", ".join(_q(c) for c in _columns(cursor, table))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"LOCK TABLE {t} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"ALTER TABLE {t} DETACH PARTITION {d}")
        cursor.execute(f"CREATE TABLE {n} (LIKE {t} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(
            f"INSERT INTO {n} ({cols}) SELECT {cols} FROM {d} WHERE {k} >= {lo} AND {k} < {hi}"
        )
        cursor.execute(f"DELETE FROM {d} WHERE {k} >= {lo} AND {k} < {hi}")
        cursor.execute(f"ALTER TABLE {t} ATTACH PARTITION {n} FOR VALUES FROM ({lo}) TO ({hi})")
        cursor.execute(f"ALTER TABLE {t} ATTACH PARTITION {d} DEFAULT")
        made.append(name)
    return made


def drop_month(cursor: Any, table: str, month: Month) -> str:
    """Detach and drop one month's partition (no row trigger fires: the roll-ups keep it)."""
    name = table + month.suffix()
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(name)}")
    cursor.execute(f"DROP TABLE {_q(name)}")
    return name


def default_months(cursor: Any, table: str, *, key: str) -> list[Month]:
    """The months that have rows in DEFAULT (what ``ensure_months`` would move)."""
    k = _q(key)
    rows = _rows(
        cursor,
        f"SELECT DISTINCT date_trunc('month', {k} AT TIME ZONE 'Asia/Shanghai')::date "
        f"FROM {_q(table + '_default')}",
    )
    return sorted((Month(r[0]) for r in rows), key=lambda m: m.start)
