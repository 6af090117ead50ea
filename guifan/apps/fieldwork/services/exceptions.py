"""Customer-side exceptions at the door or on site (seed 003's exception table).

Each kind is a guided branch (``guifan.apps.care.exception_table``): the technician answers the
seed's steps (done or not) and the kind's questions; the service records the exception with
the steps taken, a verdict for each step that names a norm (kept when done; broken when
skipped and the table says skipping breaks it), the call to the centre where the seed says
so, a flag for the quality centre (and the technician's safety), and moves the visit on:
back to the desk to rebook, on with the visit, or abandoned at once for safety.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.care.exception_table import ExceptionKind, exception_table
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import Status
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import event_record, order_lock, transition, verdict_record
from guifan.apps.orders.services.visits import visit_step
from guifan.clock import now as clock_now
from guifan.errors import Conflict, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

# The exception is met at the door (en route, not yet marked arrived) or inside.
AT_THE_CUSTOMER = (Status.EN_ROUTE, Status.ON_SITE)
TEXT_MAX = 200


@dataclass(frozen=True, slots=True)
class ExceptionOutcome:
    order: WorkOrder
    kind: str
    next: str
    centre_called: bool
    flagged: bool
    verdicts: list[Verdict] = field(default_factory=list)


def _kind(kind: str) -> ExceptionKind:
    table = exception_table()
    found = table.kinds.get(kind)
    if found is None:
        raise ValidationFailed(
            "exception.unknown_kind",
            f"未知现场异常 {kind!r}，可选：{'、'.join(table.kinds)}",
            field="kind",
        )
    return found


def _answers(spec: ExceptionKind, answers: dict[str, Any]) -> dict[str, Any]:
    """The kind's answers, checked: each field and each applicable step, named on error."""
    clean: dict[str, Any] = {}
    for f in spec.fields:
        value = answers.get(f.name)
        name = f"answers.{f.name}"
        if value is None or (isinstance(value, str) and not value.strip()):
            if f.required:
                raise ValidationFailed("exception.answer_missing", f"请回答：{f.label}", field=name)
            continue
        if f.type == "bool":
            if not isinstance(value, bool):
                raise ValidationFailed(
                    "exception.answer_invalid", f"{f.label}：请回答是或否", field=name
                )
        elif not isinstance(value, str) or len(value) > TEXT_MAX or "\x00" in value:
            raise ValidationFailed(
                "exception.answer_invalid",
                f"{f.label}：须为不超过 {TEXT_MAX} 字的文字",
                field=name,
            )
        elif f.choices and value not in f.choices:
            raise ValidationFailed(
                "exception.answer_invalid",
                f"{f.label}：可选{'、'.join(f.choices.values())}",
                field=name,
            )
        clean[f.name] = value.strip() if isinstance(value, str) else value
    for step in spec.steps:
        if not step.applies(clean):
            continue
        value = answers.get(step.id)
        if not isinstance(value, bool):
            raise ValidationFailed(
                "exception.step_missing",
                f"请确认是否已做到：{step.text}",
                field=f"answers.{step.id}",
            )
        clean[step.id] = value
    return clean


def _verdicts(spec: ExceptionKind, clean: dict[str, Any]) -> list[Verdict]:
    out = []
    for step in spec.steps:
        if not step.norm or step.id not in clean:
            continue
        # The kind and the step by their codes: their titles are in guifan.norms.reasons.
        args = {"field_exception": spec.kind, "exception_step": f"{spec.kind}.{step.id}"}
        if clean[step.id]:
            out.append(Verdict.keep(step.norm, reason("field_work.exception_step_done", **args)))
        elif step.missed == "broke":
            why = reason("field_work.exception_step_missed", **args)
            out.append(Verdict.broke(step.norm, why))
    return out


@transaction.atomic
def visit_exception_record(
    *,
    order_id: int,
    kind: str,
    answers: dict[str, Any],
    by: User | None,
    expected_version: int | None,
    at: dt.datetime | None = None,
) -> ExceptionOutcome:
    """Record a customer-side exception met at the customer's and move the visit on."""
    spec = _kind(kind)
    clean = _answers(spec, answers if isinstance(answers, dict) else {})
    now = at or clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    if order.status not in AT_THE_CUSTOMER:
        raise Conflict(
            "visit.not_on_site",
            f"工单状态为{order.get_status_display()}，不在上门途中或现场，不能记录现场异常",
            field="version",
            extra={"version": order.version, "status": order.status},
        )
    if order.status == Status.EN_ROUTE:
        # Met at the door: the technician has arrived (APT-08 / DSP-04 are judged as usual).
        visit_step(order, "arrive", at=now, by=by)
    nxt = spec.next_state(clean)
    table = exception_table()
    steps = {s.id: clean[s.id] for s in spec.steps if s.id in clean}
    fields = {f.name: clean[f.name] for f in spec.fields if f.name in clean}
    event_record(
        order,
        action="field_exception",
        at=now,
        by=by,
        msg="event.field_exception_kind",
        args={"field_exception": spec.kind},
        detail={"kind": spec.kind, "steps": steps, "answers": fields, "next": nxt},
    )
    verdicts = [verdict_record(order, v, at=now, by=by) for v in _verdicts(spec, clean)]
    if spec.centre_call:
        # The call to the centre, where the quality centre lists it (an event, not a
        # Contact: a contact is with the customer, and its purposes are the orders' own).
        event_record(
            order,
            action="centre_call",
            at=now,
            by=by,
            # The table's request to the centre, by the exception's kind (its English is in
            # guifan.norms.reasons.events); a kind without one names itself.
            reason="" if spec.centre_reason else spec.title,
            msg="event.centre_call" if spec.centre_reason else "",
            args={"centre_call": spec.kind} if spec.centre_reason else None,
            detail={"kind": spec.kind, "hotline": table.centre_hotline},
        )
    if spec.flag_quality:
        technician = order.technician.badge_no if order.technician else ""
        event_record(
            order,
            action="quality_flag",
            at=now,
            by=by,
            msg="event.field_exception",
            args={"field_exception": spec.kind},
            detail={
                "kind": spec.kind,
                "technician_safety": spec.safety,
                "technician": technician,
                **({"injured": clean["injured"]} if "injured" in clean else {}),
            },
        )
    if nxt == "await_appointment":
        transition(
            order,
            "await_appointment",
            at=now,
            by=by,
            msg="event.field_exception_rebook",
            args={"field_exception": spec.kind},
        )
    elif nxt == "abandon":
        transition(
            order,
            "await_appointment",
            at=now,
            by=by,
            msg="event.field_exception_abandon",
            args={"field_exception": spec.kind},
            detail={"abandoned": True, "technician_safety": True},
        )
    return ExceptionOutcome(
        order=order,
        kind=spec.kind,
        next=nxt,
        centre_called=spec.centre_call,
        flagged=spec.flag_quality,
        verdicts=verdicts,
    )
