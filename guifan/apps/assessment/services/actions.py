"""Corrective actions and coaching (QA-08): the quality centre opens them, the supervisor
closes them; an action still open after its due day is flagged overdue by a timer."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.assessment.access import record_require, supervises
from guifan.apps.assessment.models import ActionKind, ActionStatus, CorrectiveAction
from guifan.apps.audit.services import audit_record
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.apps.timers.services import timer_schedule
from guifan.apps.workforce.models import Technician
from guifan.clock import ZONE, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms import Verdict, norm_get
from guifan.norms.reasons import reason

DUE_KIND = "qa08.action_due"


def _area_of(person: str) -> str:
    tech = Technician.objects.select_related("area").filter(badge_no=person).first()
    return tech.area.code if tech else ""


@transaction.atomic
def action_create(
    *,
    kind: str,
    person: str,
    norm_id: str,
    finding: str,
    due_on: dt.date | None = None,
    by: User | None,
) -> CorrectiveAction:
    """Open a corrective action or coaching for ``person`` about ``norm_id``'s finding."""
    record_require(by)
    if kind not in ActionKind.values:
        raise ValidationFailed("action.kind", f"类型 {kind!r} 无效", field="kind")
    try:
        norm_get(norm_id)
    except KeyError:
        raise ValidationFailed("action.norm", f"规范 {norm_id!r} 不存在", field="norm_id") from None
    if not finding.strip():
        raise ValidationFailed("action.finding", "请填写问题", field="finding")
    if not person or not (
        Technician.objects.filter(badge_no=person).exists()
        or User.objects.filter(username=person).exists()
    ):
        raise NotFound("person.not_found", f"人员 {person} 不存在", field="person")
    now = clock_now()
    today = local(now).date()
    due = due_on or today + dt.timedelta(
        days=int(norms_snapshot().param("QA-08", "action_due_days"))
    )
    if due < today:
        raise ValidationFailed("action.due_on", "整改期限不能早于今天", field="due_on")
    action = CorrectiveAction.objects.create(
        kind=kind,
        person=person,
        norm_id=norm_id,
        finding=finding.strip()[:300],
        due_on=due,
        created_at=now,
        created_by=by,
    )
    audit_record(
        actor=by, action="action.create", obj=action, before={}, after={"due_on": str(due)}
    )
    timer_schedule(
        kind=DUE_KIND,
        key=f"qa08:action:{action.id}",
        due_at=dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0), tzinfo=ZONE),
        norm_id="QA-08",
        payload={"action_id": action.id},
    )
    return action


@transaction.atomic
def action_close(*, action_id: int, outcome: str, by: User | None) -> CorrectiveAction:
    """The supervisor closes the action with its outcome (an overdue one may still close)."""
    action = CorrectiveAction.objects.select_for_update().filter(id=action_id).first()
    if action is None or not supervises(by, action.person):
        raise NotFound("action.not_found", f"整改记录 {action_id} 不存在", field="action_id")
    if action.status == ActionStatus.CLOSED:
        raise Conflict("action.closed", "该整改记录已关闭", field="action_id")
    if not outcome.strip():
        raise ValidationFailed("action.outcome", "请填写整改结果", field="outcome")
    now = clock_now()
    on_time = action.status == ActionStatus.OPEN
    before = {"status": action.status}
    action.status, action.closed_at, action.closed_by = ActionStatus.CLOSED, now, by
    action.outcome = outcome.strip()[:300]
    action.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
    audit_record(
        actor=by, action="action.close", obj=action, before=before, after={"status": "closed"}
    )
    if on_time:
        norm_check_record(
            verdict=Verdict.keep(
                "QA-08", reason("qa08.closed_on_time", finding=action.finding), action=action.id
            ),
            at=now,
            area_code=_area_of(action.person),
            person=action.person,
        )
    return action


def actions_overdue_mark(action_id: int, now: dt.datetime) -> bool:
    """Flag the action overdue when still open after its due day (QA-08 broken)."""
    action = CorrectiveAction.objects.select_for_update().filter(id=action_id).first()
    if action is None or action.status != ActionStatus.OPEN:
        return False
    action.status = ActionStatus.OVERDUE
    action.save(update_fields=["status"])
    norm_check_record(
        verdict=Verdict.broke(
            "QA-08", reason("qa08.overdue", finding=action.finding), action=action.id
        ),
        at=now,
        area_code=_area_of(action.person),
        person=action.person,
    )
    return True
