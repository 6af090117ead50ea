"""Refusals of enforced norms, remembered with who tried and what they tried.

An enforced norm only says no, so it would always read 100 % kept: the refused attempt is
the occasion on which it was broken (a dispatcher who tries to book 21:00, a technician who
tries to finish without the checklist). The refused work rolls back with its transaction and
a verdict written inside it would roll back too, so the row is written after the transaction
is gone: ``refusals_remembered`` wraps a public service and records when the error leaves
it; the error also carries ``record_refusal``, and a caller whose own transaction rolled back
as well (the API's error handler, the offline sync) asks again. The row carries a token, so
asking twice records once.

Rows: ``NormCheck(kept=False, detail={"refusal": token, "actor", "code", "field",
"attempted"})``; ``person`` is the actor (a technician's badge, else the username).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from django.apps import apps
from django.db import connection, transaction
from django.http import HttpRequest
from django.http.request import RawPostDataException

from guifan.apps.accounts.models import User
from guifan.apps.customers.masking import mask_phone
from guifan.apps.norms.models import NormCheck
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, RuleViolation, ValidationFailed
from guifan.norms import catalog
from guifan.requestid import current_request_id
from guifan.textinput import text_storable, whole_number

P = ParamSpec("P")
R = TypeVar("R")

ENFORCED = frozenset(n.id for n in catalog() if n.mode == "enforced")
ATTEMPT_MAX_CHARS = 1000
_DIGITS = re.compile(r"\d{7,}")


def refusal_person(by: User | None) -> str:
    """Whom a refusal is counted against: a technician's badge, else the username."""
    if by is None:
        return ""
    technician = getattr(by, "technician", None)
    badge = getattr(technician, "badge_no", "")
    return str(badge or by.username)


def refusal_actor(by: User | None) -> str:
    return "system" if by is None else f"{by.role}:{by.username}"


def _plain(value: Any) -> Any:
    """The attempted values as JSON: dates as ISO text, models and objects as their text."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump())
    if hasattr(value, "__dataclass_fields__"):
        return _plain({k: getattr(value, k) for k in value.__dataclass_fields__})
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _masked(value: Any) -> Any:
    """Long digit runs (phones, ID numbers) masked as phones are (SEC-01); characters the
    database cannot store (PostgreSQL's JSONB refuses NUL) replaced."""
    if isinstance(value, str):
        return _DIGITS.sub(lambda m: mask_phone(m.group()), text_storable(value))
    if isinstance(value, dict):
        return {_masked(k): _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def attempted_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """What the actor tried, masked and bounded (the ledger is not a copy of the request)."""
    plain = _masked(_plain({k: v for k, v in values.items() if k != "by"}))
    text = json.dumps(plain, ensure_ascii=False, default=str)
    if len(text) <= ATTEMPT_MAX_CHARS:
        return dict(plain)
    return {"truncated": text[:ATTEMPT_MAX_CHARS]}


def refusal_recorder(
    exc: GuifanError,
    *,
    by: User | None,
    order_id: int | None = None,
    area_code: str = "",
    attempted: Mapping[str, Any] | None = None,
) -> Callable[[], None] | None:
    """A function recording ``exc`` as a refusal (once), or None when no enforced norm said no."""
    norm_id = exc.rule
    # Only a rule that said no (422) is a refusal; 403/404/409 say who or when, not the norm.
    refused = isinstance(exc, RuleViolation | ValidationFailed)
    if not refused or norm_id is None or norm_id not in ENFORCED:
        return None
    token = uuid.uuid4().hex
    at = clock_now()
    detail = {
        "refusal": token,
        "actor": refusal_actor(by),
        "code": exc.code,
        "field": _masked(exc.field or ""),
        "attempted": attempted_values(attempted or {}),
        "request_id": current_request_id(),
    }
    person = refusal_person(by)

    def record() -> None:
        with transaction.atomic():
            if NormCheck.objects.filter(norm_id=norm_id, detail__refusal=token).exists():
                return
            area, oid = area_code, None
            if order_id is not None:
                row = (
                    apps.get_model("orders", "WorkOrder")
                    .objects.filter(id=order_id)
                    .values_list("id", "area__code")
                    .first()
                )
                if row is not None:
                    oid, area = row[0], area or row[1]
            NormCheck.objects.create(
                norm_id=norm_id,
                kept=False,
                at=at,
                order_id=oid,
                area_code=area,
                person=person,
                reason=_masked(f"被拒绝：{exc.message}")[:300],
                detail=detail,
            )

    return record


def refusal_note(
    exc: GuifanError,
    *,
    by: User | None,
    order_id: int | None = None,
    area_code: str = "",
    attempted: Mapping[str, Any] | None = None,
) -> None:
    """Attach a recorder to ``exc`` (unless it has one) and record now if no transaction is
    open; otherwise whoever ends the transaction calls ``exc.record_refusal()``."""
    record = getattr(exc, "record_refusal", None)
    if not callable(record):
        record = refusal_recorder(
            exc, by=by, order_id=order_id, area_code=area_code, attempted=attempted
        )
        if record is None:
            return
        exc.record_refusal = record  # type: ignore[attr-defined]
    # Inside a caller's transaction the row may roll back with it; the caller asks again.
    if not connection.needs_rollback:
        record()


def refusals_remembered(fn: Callable[P, R]) -> Callable[P, R]:
    """Record an enforced norm's refusal raised by the service ``fn`` (keyword arguments
    ``by``, ``order_id`` and the rest as the attempted values)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except GuifanError as exc:
            order_id = kwargs.get("order_id")
            refusal_note(
                exc,
                by=kwargs.get("by"),  # type: ignore[arg-type]
                order_id=order_id if isinstance(order_id, int) else None,
                attempted=kwargs,
            )
            raise

    return wrapper


def refusal_from_request(request: HttpRequest, exc: GuifanError) -> None:
    """Remember a refusal raised outside a wrapped service: the token's user tried the body."""
    if not exc.rule:
        return
    user = getattr(request, "auth", None)
    match = request.resolver_match
    order_id = str(match.kwargs.get("order_id", "")) if match else ""
    body: Any = {}
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, RawPostDataException):
            body = {}
    refusal_note(
        exc,
        by=user if isinstance(user, User) else None,
        order_id=whole_number(order_id),
        attempted=body if isinstance(body, dict) else {"body": body},
    )
