"""Every row of every guifan table, to show that a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection

# Tables a refused request may legitimately write, and why.
EXCLUDED = {
    # The phone's offline queue keeps each action's answer (a refusal too) under its key,
    # so that a retried batch gets the same answer; the order itself must stay unchanged.
    "fieldwork.SyncAction": "idempotency record of the offline sync",
}
# An audit trail (SEC-02) may record a refused attempt: any model of an app so named.
EXCLUDED_APPS = frozenset({"audit"})

Fingerprint = dict[str, list[tuple[Any, ...]]]


def _tables() -> dict[str, str]:
    """label -> SELECT of every row, in key order (plain SQL: hundreds of looks per run)."""
    out = {}
    quote = connection.ops.quote_name
    for model in apps.get_models():
        meta = model._meta
        if not model.__module__.startswith("guifan.") or meta.proxy:
            continue
        if meta.label in EXCLUDED or meta.app_label in EXCLUDED_APPS:
            continue
        out[meta.label] = f"SELECT * FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}"
    return out


def fingerprint() -> Fingerprint:
    rows: Fingerprint = {}
    with connection.cursor() as cursor:
        for label, sql in _tables().items():
            cursor.execute(sql)
            rows[label] = cursor.fetchall()
    return rows


def changed(before: Fingerprint, after: Fingerprint) -> list[str]:
    """The tables whose rows differ, each with a short account of how."""
    out = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, []), after.get(label, [])
        if old == new:
            continue
        gone = [r for r in old if r not in new]
        came = [r for r in new if r not in old]
        out.append(f"{label}: -{gone[:2]} +{came[:2]}")
    return out
