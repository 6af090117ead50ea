"""Nobody answers the door (VIS-03): the timed protocol, the door note, and back to booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.fieldwork.choices import StepOutcome
from guifan.apps.fieldwork.models import StepRecord
from guifan.apps.fieldwork.services.judge import norm_params
from guifan.apps.fieldwork.services.onsite import require_on_site
from guifan.apps.orders.access import Act
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.apps.orders.services.records import event_record, order_lock, transition, verdict_record
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import ValidationFailed
from guifan.norms import Verdict
from guifan.norms.evidence import door_protocol
from guifan.norms.reasons import reason

NORM = "VIS-03"
# The seed's door note (000): who came, when, when they left, and how to call back.
NOTE_TEMPLATE = (
    "尊敬的客户：{name}于{arrived}到达您处上门服务，因与您联系不上，便于{left}离开，"
    "请您看到留言后拨打 {phone} 与我联系，谢谢您的支持！"
)


def _instant(value: Any, field: str, *, now: dt.datetime, floor: dt.datetime) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValidationFailed("door.time", "须为带时区的时间", field=field, rule=NORM)
    if value > now + dt.timedelta(minutes=2) or value < floor:
        raise ValidationFailed("door.time", "时间须在到达之后、当前之前", field=field, rule=NORM)
    return value


def _arrived_at(order: WorkOrder) -> dt.datetime:
    event = OrderEvent.objects.filter(order=order, action="arrive").order_by("-at").first()
    return event.at if event else order.received_at


def door_note_text(*, name: str, arrived: dt.datetime, left: dt.datetime, phone: str) -> str:
    return NOTE_TEMPLATE.format(
        name=name, arrived=f"{local(arrived):%H:%M}", left=f"{local(left):%H:%M}", phone=phone
    )


@transaction.atomic
def door_unanswered(
    *,
    order_id: int,
    events: list[dict[str, Any]],
    note: dict[str, Any],
    expected_version: int,
    by: User,
) -> StepRecord:
    """Record the door protocol as tapped (each step's time), judge VIS-03 from the times, and
    send the order back to booking: the customer was absent, we did not move the visit (the
    new appointment is the customer's change, APT-05/06)."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    require_on_site(order)
    arrived = _arrived_at(order)
    if not isinstance(events, list) or len(events) > 50:
        raise ValidationFailed(
            "door.events", "请记录敲门、致电、询问邻居", field="events", rule=NORM
        )
    timed: list[tuple[str, dt.datetime]] = []
    for i, e in enumerate(events):
        if not isinstance(e, dict):
            raise ValidationFailed("door.events", "格式不对", field=f"events[{i}]", rule=NORM)
        at = _instant(e.get("at"), f"events[{i}].at", now=now, floor=arrived)
        timed.append((str(e.get("kind", "")), at))
    if not isinstance(note, dict):
        raise ValidationFailed("door.note", "请填写留言条", field="note", rule=NORM)
    note = {**note, "left": _instant(note.get("left"), "note.left", now=now, floor=arrived)}
    judged = door_protocol(timed, note, norm_params(NORM))
    judged.evidence["note"]["text"] = door_note_text(
        name=judged.evidence["note"]["name"],
        arrived=arrived,
        left=note["left"],
        phone=judged.evidence["note"]["phone"],
    )
    record = StepRecord.objects.create(
        order=order,
        norm_id=NORM,
        outcome=StepOutcome.DONE,
        evidence=judged.evidence,
        shortfalls=judged.shortfalls,
        at=note["left"],
        by=by,
    )
    verdict = (
        Verdict.broke(NORM, judged.why())
        if judged.notes
        else Verdict.keep(NORM, reason("vis03.protocol_followed"))
    )
    verdict_record(order, verdict, at=note["left"], by=by)
    event_record(
        order,
        action="door_note",
        at=note["left"],
        by=by,
        msg="door.note_left",
        detail={"norm": NORM, "note": judged.evidence["note"]["text"]},
    )
    transition(order, "await_appointment", at=note["left"], by=by, msg="door.not_home")
    return record
