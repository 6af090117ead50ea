"""Apply the phone's offline queue in order; a repeated idempotency key gets the first answer."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from guifan.apps.accounts.models import User
from guifan.apps.fieldwork.choices import SyncStatus
from guifan.apps.fieldwork.models import SyncAction
from guifan.apps.fieldwork.services.steps import (
    checklist_step_record,
    field_call_ahead,
    field_trip_step,
)
from guifan.apps.orders.models import WorkOrder
from guifan.clock import now as clock_now
from guifan.errors import Conflict, GuifanError, ValidationFailed
from guifan.textinput import LONG_TEXT, text_problem

KINDS = ("step", "call_ahead", "depart", "arrive")
MAX_ACTIONS = 200
MAX_ID = 2**63 - 1  # a database bigint
# The columns an action's texts end up in (SyncAction, StepRecord, Contact).
LIMITS = {"key": 64, "kind": 20, "norm": 10, "outcome": 10, "reason": 200}


def _int(raw: dict[str, Any], name: str) -> int:
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationFailed("sync.field", f"缺少 {name}", field=name)
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed("sync.field", f"{name} 须为整数", field=name) from None


def _apply(raw: dict[str, Any], *, by: User) -> None:
    kind = raw.get("kind")
    order_id, version = _int(raw, "order"), _int(raw, "version")
    if kind == "step":
        checklist_step_record(
            order_id=order_id,
            norm_id=str(raw.get("norm", "")),
            outcome=str(raw.get("outcome", "")),
            reason=str(raw.get("reason", "")),
            expected_version=version,
            by=by,
        )
    elif kind == "call_ahead":
        field_call_ahead(
            order_id=order_id,
            late=bool(raw.get("late")),
            outcome=str(raw.get("outcome", "answered")),
            expected_version=version,
            by=by,
        )
    elif kind in ("depart", "arrive"):
        field_trip_step(order_id=order_id, action=kind, expected_version=version, by=by)
    else:
        raise ValidationFailed("sync.kind", f"未知动作 {kind!r}", field="kind")


def _problem(name: str, value: Any) -> str | None:
    if isinstance(value, str):
        return text_problem(value, LIMITS.get(name, LONG_TEXT))
    if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_ID:
        return f"须在 0 到 {MAX_ID} 之间"
    return None


def _refusal(raw: dict[str, Any]) -> dict[str, Any] | None:
    """The error answer of an action with a value that cannot be stored (NUL, lone surrogate,
    too long, an id out of range): refused in its place, nothing recorded, the rest goes on."""
    for name, value in raw.items():
        problem = _problem(name, value)
        if problem is not None:
            key = raw.get("key") if name != "key" and isinstance(raw.get("key"), str) else ""
            return {
                "key": key,
                "status": SyncStatus.ERROR,
                "message": f"{name}：{problem}",
                "http": 422,
            }
    return None


def _answer(action: SyncAction, http: int) -> dict[str, Any]:
    return {
        "key": action.key,
        "status": action.status,
        "message": action.message,
        "version": action.version,
        "http": http,
    }


def _apply_guarded(raw: dict[str, Any], *, by: User) -> tuple[str, str, int]:
    """Status, message and HTTP status of one action, its writes undone when refused."""
    try:
        with transaction.atomic():
            _apply(raw, by=by)
    except Conflict as exc:
        return SyncStatus.CONFLICT, exc.message, exc.http_status
    except GuifanError as exc:
        return SyncStatus.ERROR, exc.message, exc.http_status
    return SyncStatus.OK, "", 200


def sync_action_apply(raw: dict[str, Any], *, by: User) -> dict[str, Any]:
    """Apply one queued action and remember its answer under (user, key)."""
    refusal = _refusal(raw)
    if refusal is not None:
        return refusal
    key = str(raw.get("key", ""))
    if not key:
        return {"key": "", "status": SyncStatus.ERROR, "message": "缺少幂等键", "http": 422}
    seen = SyncAction.objects.filter(user=by, key=key).first()
    if seen is not None:
        return _answer(seen, 200)
    order_id = raw.get("order") if isinstance(raw.get("order"), int) else None
    with transaction.atomic():
        # Claim the key before applying: a concurrent request with the same key waits on the
        # unique index, then gets this answer instead of applying the action twice.
        try:
            with transaction.atomic():
                action = SyncAction.objects.create(
                    user=by,
                    key=key,
                    kind=str(raw.get("kind", "")),
                    order_id=order_id,
                    status=SyncStatus.OK,
                    at=clock_now(),
                )
        except IntegrityError:
            return _answer(SyncAction.objects.get(user=by, key=key), 200)
        status, message, http = _apply_guarded(raw, by=by)
        action.status, action.message = status, message[:300]
        action.version = (
            WorkOrder.objects.filter(id=order_id, technician__user=by)
            .values_list("version", flat=True)
            .first()
            if order_id is not None
            else None
        )
        action.save(update_fields=["status", "message", "version"])
    return _answer(action, http)


def sync_apply(*, actions: list[Any], by: User) -> list[dict[str, Any]]:
    """Apply the queue in the order the phone recorded it."""
    if len(actions) > MAX_ACTIONS:
        raise ValidationFailed(
            "sync.too_many", f"一次最多同步 {MAX_ACTIONS} 个动作", field="actions"
        )
    return [
        sync_action_apply(raw, by=by)
        if isinstance(raw, dict)
        else {"key": "", "status": SyncStatus.ERROR, "message": "动作格式错误", "http": 422}
        for raw in actions
    ]
