"""Apply the phone's offline queue in order; a repeated idempotency key gets the first answer.

An action is a dict: ``key`` (idempotency key), ``kind``, ``order``, ``version`` (the order's
version the page showed), ``at`` (the tap time, see ``fieldwork.taptime``) and by kind:

* ``depart`` / ``arrive`` / ``complete``: nothing more;
* ``call_ahead``: ``outcome``, ``late``;
* ``step``: ``norm``, ``outcome``, ``reason``, optional ``evidence`` (a dict) and a picture
  taken in the step's form: ``file`` with ``attachment``, the evidence key it fills
  (``photo_id`` for the modem label, ``signature_photo_id`` for the data-risk signature);
* ``photo``: ``file`` (the name of the multipart part holding the picture), optional ``norm``;
* ``signature``: ``file`` (a PNG part);
* ``rating``: ``score``, ``comment``.

Ordering. The queue of one order was recorded on one view of it: a later action carries the
version the page showed before the earlier ones applied (an arrival raises the version, the
steps tapped after it offline still carry the old one). So within a batch an action whose
version is the one its predecessor on the same order carried continues from the version that
predecessor left. When an action fails in a way that voids what the phone believed (a conflict,
an order no longer the technician's, a refused departure, arrival or completion), the later
actions of that order recorded on the same view are answered ``skipped`` and not applied, so
nothing is applied out of order. A refused input (a bad field, a bad time, a picture that
does not decode) or a step the rules refuse stands alone: the rest applies, each later action
still checked by its service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from guifan.apps.accounts.models import User
from guifan.apps.fieldwork.choices import SyncStatus
from guifan.apps.fieldwork.models import SyncAction
from guifan.apps.fieldwork.services.evidence import (
    SIGNATURE_MAX_BYTES,
    photo_max_bytes,
    photo_max_pixels,
    visit_photo_add,
    visit_rating_save,
    visit_signature_save,
)
from guifan.apps.fieldwork.services.steps import (
    Attachment,
    checklist_step_record,
    field_call_ahead,
    field_trip_step,
    field_visit_complete,
)
from guifan.apps.fieldwork.taptime import tap_time_check, tap_time_parse
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.clock import now as clock_now
from guifan.errors import Conflict, GuifanError, NotFound, ValidationFailed
from guifan.images import PHOTO_FORMATS, SIGNATURE_FORMATS, image_check
from guifan.textinput import LONG_TEXT, text_problem, whole_number

KINDS = ("step", "call_ahead", "depart", "arrive", "photo", "signature", "rating", "complete")
# A failure of these voids the premise of every later action of the order.
LIFECYCLE = ("depart", "arrive", "complete")
SKIPPED = "skipped"  # an answer only: a skipped action is not stored, nothing was applied
MAX_ACTIONS = 200
MAX_ID = 2**63 - 1  # a database bigint
# The columns an action's texts end up in (SyncAction, StepRecord, Contact, VisitRating).
LIMITS = {
    "key": 64,
    "kind": 20,
    "norm": 10,
    "outcome": 10,
    "reason": 200,
    "comment": 300,
    "at": 40,
    "file": 100,
    "label": 200,
}
SIGNATURE_MAX_PIXELS = 4_000_000
# The evidence keys a step's own picture fills (see fieldwork.services.steps.Attachment).
ATTACHMENTS = {"photo_id": PHOTO_FORMATS, "signature_photo_id": SIGNATURE_FORMATS}


def _int(raw: dict[str, Any], name: str) -> int:
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationFailed("sync.field", f"缺少 {name}", field=name)
    number = value if isinstance(value, int) else whole_number(value.strip(), maximum=MAX_ID)
    if number is None or not 0 <= number <= MAX_ID:
        raise ValidationFailed("sync.field", f"{name} 须为 0 到 {MAX_ID} 之间的整数", field=name)
    return number


def _blob(raw: dict[str, Any], files: Mapping[str, bytes], field: str) -> bytes:
    name = raw.get("file")
    if not isinstance(name, str) or name not in files:
        raise ValidationFailed("sync.file", "缺少图片文件", field=field)
    return files[name]


def _attachment(raw: dict[str, Any], files: Mapping[str, bytes]) -> Attachment | None:
    """A picture taken in a step's own form: the label's photo, the data-risk signature."""
    key = raw.get("attachment")
    if key is None:
        return None
    if not isinstance(key, str) or key not in ATTACHMENTS:
        raise ValidationFailed("sync.attachment", f"未知附件 {key!r}", field="attachment")
    field = "photo" if key == "photo_id" else "signature"
    data = _blob(raw, files, field)
    formats = ATTACHMENTS[key]
    picture = image_check(
        data,
        max_bytes=photo_max_bytes(),
        max_pixels=photo_max_pixels(),
        formats=formats,
        field=field,
    )
    return Attachment(data=data, content_type=picture.content_type, key=key)


@dataclass(frozen=True)
class _Plan:
    """An action parsed and checked: what is left is the service call."""

    order_id: int
    run: Callable[[int], object]  # called with the expected version


def _tap_time(raw: dict[str, Any], order_id: int, by: User) -> Any:
    at = tap_time_parse(raw.get("at"))
    if at is None:
        return None
    # The last state change of an order that is not the technician's stays unknown (the
    # service answers 404 for it).
    since = (
        OrderEvent.objects.filter(order_id=order_id, order__technician__user=by)
        .exclude(to_status="")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return tap_time_check(at, now=clock_now(), since=since)


def _plan(raw: dict[str, Any], *, by: User, files: Mapping[str, bytes]) -> _Plan:
    """Parse one action; every refusal here is about the action's own input."""
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValidationFailed("sync.kind", f"未知动作 {kind!r}", field="kind")
    order_id = _int(raw, "order")
    _int(raw, "version")
    at = _tap_time(raw, order_id, by)
    common: dict[str, Any] = {"order_id": order_id, "by": by, "at": at}
    if kind == "step":
        step: dict[str, Any] = {
            "norm_id": str(raw.get("norm", "")),
            "outcome": str(raw.get("outcome", "")),
            "reason": str(raw.get("reason", "")),
        }
        evidence = raw.get("evidence")
        if evidence is not None and not isinstance(evidence, dict):
            raise ValidationFailed("sync.evidence", "evidence 须为对象", field="evidence")
        # The service checks the evidence's content against the step's norm.
        step["evidence"] = evidence
        step["attachment"] = _attachment(raw, files)
        return _Plan(
            order_id, lambda v: checklist_step_record(**common, **step, expected_version=v)
        )
    if kind == "call_ahead":
        late, outcome = bool(raw.get("late")), str(raw.get("outcome", "answered"))
        return _Plan(
            order_id,
            lambda v: field_call_ahead(**common, late=late, outcome=outcome, expected_version=v),
        )
    if kind in ("depart", "arrive"):
        return _Plan(order_id, lambda v: field_trip_step(**common, action=kind, expected_version=v))
    if kind == "complete":
        certain = not raw.get("fix_uncertain")  # the page's "the fix may not hold" box (QA-01)
        return _Plan(
            order_id,
            lambda v: field_visit_complete(**common, expected_version=v, fix_certain=certain),
        )
    if kind == "photo":
        data = _blob(raw, files, "photo")
        picture = image_check(data, max_bytes=photo_max_bytes(), max_pixels=photo_max_pixels())
        norm = str(raw.get("norm", ""))
        return _Plan(
            order_id,
            lambda v: visit_photo_add(
                **common,
                data=data,
                content_type=picture.content_type,
                norm_id=norm,
                expected_version=v,
            ),
        )
    if kind == "signature":
        png = _blob(raw, files, "signature")
        image_check(
            png,
            max_bytes=SIGNATURE_MAX_BYTES,
            max_pixels=SIGNATURE_MAX_PIXELS,
            formats=SIGNATURE_FORMATS,
            field="signature",
        )
        return _Plan(
            order_id, lambda v: visit_signature_save(**common, png=png, expected_version=v)
        )
    score, comment = _int(raw, "score"), str(raw.get("comment", ""))
    return _Plan(
        order_id,
        lambda v: visit_rating_save(**common, score=score, comment=comment, expected_version=v),
    )


def _problem(name: str, value: Any) -> str | None:
    if isinstance(value, str):
        return text_problem(value, LIMITS.get(name, LONG_TEXT))
    if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_ID:
        return f"须在 0 到 {MAX_ID} 之间"
    return None


def _error(key: str, message: str, *, field: str | None = None, http: int = 422) -> dict[str, Any]:
    return {
        "key": key,
        "status": SyncStatus.ERROR,
        "message": message,
        "field": field,
        "http": http,
    }


def _refusal(raw: dict[str, Any]) -> dict[str, Any] | None:
    """The error answer of an action with a value that cannot be stored (NUL, lone surrogate,
    too long, an id out of range): refused in its place, nothing recorded, the rest goes on."""
    for name, value in raw.items():
        problem = _problem(name, value)
        if problem is not None:
            key = raw.get("key") if name != "key" and isinstance(raw.get("key"), str) else ""
            return _error(str(key), f"{name}：{problem}", field=name)
    return None


def _answer(action: SyncAction, http: int, field: str | None = None) -> dict[str, Any]:
    return {
        "key": action.key,
        "status": action.status,
        "message": action.message,
        "field": field,
        "version": action.version,
        "http": http,
    }


def _apply_guarded(plan: _Plan, expected_version: int) -> tuple[str, str, int, str | None]:
    """Status, message, HTTP status and field of one action, its writes undone when refused."""
    try:
        with transaction.atomic():
            plan.run(expected_version)
    except Conflict as exc:
        return SyncStatus.CONFLICT, exc.message, exc.http_status, exc.field
    except GuifanError as exc:
        # The attempt stays on record though the action's writes were undone (ADR 0016).
        record = getattr(exc, "record_refusal", None)
        if record is not None:
            record()
        return SyncStatus.ERROR, exc.message, exc.http_status, exc.field
    return SyncStatus.OK, "", 200, None


def sync_action_apply(
    raw: dict[str, Any],
    *,
    by: User,
    files: Mapping[str, bytes] | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Apply one queued action and remember its answer under (user, key); ``expected_version``
    replaces the action's own when its predecessors in the batch moved the order on."""
    refusal = _refusal(raw)
    if refusal is not None:
        return refusal
    key = str(raw.get("key", ""))
    if not key:
        return _error("", "缺少幂等键", field="key")
    seen = SyncAction.objects.filter(user=by, key=key).first()
    if seen is not None:
        return _answer(seen, 200)
    try:
        plan = _plan(raw, by=by, files=files or {})
        version = _int(raw, "version") if expected_version is None else expected_version
    except GuifanError as exc:
        # Refused input is not stored: the phone may send the action again, corrected.
        return _error(key, exc.message, field=exc.field, http=exc.http_status)
    with transaction.atomic():
        # Claim the key before applying: a concurrent request with the same key waits on the
        # unique index, then gets this answer instead of applying the action twice.
        try:
            with transaction.atomic():
                action = SyncAction.objects.create(
                    user=by,
                    key=key,
                    kind=str(raw.get("kind", "")),
                    order_id=plan.order_id,
                    status=SyncStatus.OK,
                    at=clock_now(),
                )
        except IntegrityError:
            seen = SyncAction.objects.filter(user=by, key=key).first()
            if seen is None:  # not the key's unique index: not a repeat
                raise
            return _answer(seen, 200)
        status, message, http, field = _apply_guarded(plan, version)
        action.status, action.message = status, message[:300]
        action.version = (
            WorkOrder.objects.filter(id=plan.order_id, technician__user=by)
            .values_list("version", flat=True)
            .first()
        )
        action.save(update_fields=["status", "message", "version"])
    return _answer(action, http, field)


@dataclass
class _Chain:
    """What the batch did so far to one order."""

    seen: int  # the version the phone showed for these actions
    now: int | None = None  # the version the last applied one left
    failed: str = ""  # the key of the action whose failure voids the rest


def _voids(raw: dict[str, Any], answer: dict[str, Any]) -> bool:
    if answer["status"] == SyncStatus.OK:
        return False
    return (
        answer["status"] == SyncStatus.CONFLICT
        or answer["http"] == NotFound.http_status
        or raw.get("kind") in LIFECYCLE
    )


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _skipped(raw: dict[str, Any], chain: _Chain) -> dict[str, Any]:
    return {
        "key": str(raw.get("key", "")),
        "status": SKIPPED,
        "message": f"前一动作未生效，本动作未执行（{chain.failed}）",
        "field": None,
        "http": Conflict.http_status,
    }


def sync_apply(
    *, actions: list[Any], by: User, files: Mapping[str, bytes] | None = None
) -> list[dict[str, Any]]:
    """Apply the queue in the order the phone recorded it (see the module's docstring);
    ``files`` holds the pictures by part name."""
    if len(actions) > MAX_ACTIONS:
        raise ValidationFailed(
            "sync.too_many", f"一次最多同步 {MAX_ACTIONS} 个动作", field="actions"
        )
    chains: dict[int, _Chain] = {}
    results: list[dict[str, Any]] = []
    for raw in actions:
        if not isinstance(raw, dict):
            results.append(_error("", "动作格式错误"))
            continue
        order, seen = _int_or_none(raw.get("order")), _int_or_none(raw.get("version"))
        if order is None or seen is None:
            results.append(sync_action_apply(raw, by=by, files=files))
            continue
        chain = chains.get(order)
        if chain is None or seen > chain.seen:
            # The first action of the order, or one recorded after the phone saw a newer state.
            chain = chains[order] = _Chain(seen=seen)
        if seen < chain.seen:
            # Recorded on an older view than the actions before it: its own version decides.
            results.append(sync_action_apply(raw, by=by, files=files))
            continue
        if chain.failed:
            results.append(_skipped(raw, chain))
            continue
        answer = sync_action_apply(raw, by=by, files=files, expected_version=chain.now)
        results.append(answer)
        if answer["status"] == SyncStatus.OK and answer.get("version") is not None:
            chain.now = answer["version"]
        elif _voids(raw, answer):
            chain.failed = str(answer.get("key") or raw.get("key", ""))
    return results
