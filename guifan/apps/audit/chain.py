"""The hash chain's arithmetic: canonical JSON and row hashes (no database access)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from guifan.apps.customers.masking import mask_phone

# Values that must never be stored, not even hashed into the log: only a fingerprint that
# still shows that they changed.
SECRET_KEYS = frozenset({"password", "digest"})


def canonical(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def jsonable(value: Any) -> Any:
    """Plain JSON types: instants in UTC ISO form, decimals and ids as text."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=canonical) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def scrub(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Phones masked (SEC-01), secrets replaced by a short fingerprint."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key in SECRET_KEYS and value:
            digest = hashlib.sha256(str(value).encode()).hexdigest()[:8]
            out[key] = f"redacted:{digest}"
        elif (key == "phone" or key.endswith("_phone")) and isinstance(value, str):
            out[key] = mask_phone(value)
        else:
            out[key] = jsonable(value)
    return out


def changed_only(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose value differs, on each side (a field absent on one side is left out)."""
    b, a = scrub(before), scrub(after)
    keys = [k for k in sorted(set(b) | set(a)) if b.get(k, _ABSENT) != a.get(k, _ABSENT)]
    return {k: b[k] for k in keys if k in b}, {k: a[k] for k in keys if k in a}


_ABSENT = object()


def row_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 of the row's canonical JSON, which includes the previous row's hash."""
    return hashlib.sha256(canonical(dict(fields)).encode()).hexdigest()


HASHED = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "kind",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "request_id",
    "prev_hash",
)


def entry_hash(row: Any) -> str:
    """The hash a row must carry, recomputed from its stored fields."""
    return row_hash({name: jsonable(getattr(row, name)) for name in HASHED})
