"""Plans and their planner, evaluations, calibration sessions and disputes (issue 14, 7).

Every service that writes takes ``by`` and asks ``evaluation.access`` first. An evaluation
writes one NormCheck per answered question for the evaluated person (detail names the
evaluation); an overturned dispute reverses the broken ones in place (ADR 0022).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.audit.services import audit_record
from guifan.apps.evaluation.access import assignment_require, evaluation_require, person_of
from guifan.apps.evaluation.forms import KINDS, answers_score, form_current
from guifan.apps.evaluation.interactions import interaction_get, interactions_of_day
from guifan.apps.evaluation.models import (
    Assignment,
    AssignmentStatus,
    CalibrationSession,
    Dispute,
    DisputeStatus,
    Evaluation,
    EvaluationStatus,
    Plan,
)
from guifan.apps.evaluation.sampling import evaluator_for, sample
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.apps.timers.services import timer_schedule
from guifan.clock import at_local, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import both_languages, reason

PLAN_RUN_AT = "22:00"  # local: after the day's last visit and the hall's closing
DISPUTE_NORM = "QA-08"  # the assessment norm that carries the dispute window


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationFailed(
            "evaluation.unknown_kind",
            f"评估对象应为 {'、'.join(KINDS)} 之一，收到 {kind!r}",
            field="kind",
        )
    return kind


def _evaluators(usernames: list[str], *, field: str) -> list[User]:
    users = list(User.objects.filter(username__in=usernames, is_active=True, role=Role.QUALITY))
    found = {u.username for u in users}
    for name in usernames:
        if name not in found:
            raise ValidationFailed(
                "evaluation.not_an_evaluator", f"{name} 不是质检评估员", field=field
            )
    return sorted(users, key=lambda u: u.id)


def _require_quality(by: User | None) -> None:
    if by is not None and not (
        by.is_superuser or by.role in (Role.ADMIN, Role.SYSTEM, Role.QUALITY)
    ):
        raise PermissionDenied("auth.role", "只有质检人员可以执行此操作", field="role")


# --- plans and the planner -------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    name: str,
    kind: str,
    evaluators: list[str],
    rate_pct: float | None = None,
    per_person: int | None = None,
    by: User | None,
) -> Plan:
    """A quality plan; its planner runs each evening (a durable timer) from today on."""
    _require_quality(by)
    _kind(kind)
    if (rate_pct is None) == (per_person is None):
        raise ValidationFailed(
            "plan.rate_or_count", "抽样比例与每人抽样数须且只须填写一项", field="rate_pct"
        )
    if rate_pct is not None and not 0 <= rate_pct <= 100:
        raise ValidationFailed(
            "plan.rate_range", f"抽样比例应在 0 到 100 之间，收到 {rate_pct}", field="rate_pct"
        )
    if per_person is not None and not 1 <= per_person <= 100:
        raise ValidationFailed(
            "plan.count_range",
            f"每人抽样数应在 1 到 100 之间，收到 {per_person}",
            field="per_person",
        )
    if not evaluators:
        raise ValidationFailed(
            "plan.no_evaluators", "质检计划至少需要一名评估员", field="evaluators"
        )
    users = _evaluators(evaluators, field="evaluators")
    now = clock_now()
    plan = Plan.objects.create(
        name=name,
        kind=kind,
        rate_pct=rate_pct,
        per_person=per_person,
        created_at=now,
        created_by=by,
    )
    plan.evaluators.set(users)
    plan_timer_arm(plan, local(now).date())
    audit_record(
        actor=by, action="evaluation.plan_create", obj=plan, before={}, after={"name": name}
    )
    return plan


def plan_timer_arm(plan: Plan, day: dt.date) -> None:
    timer_schedule(
        kind="evaluation.plan_run",
        key=f"evaluation.plan:{plan.id}:{day.isoformat()}",
        due_at=at_local(day, PLAN_RUN_AT),
        norm_id="QA-08",
        payload={"plan_id": plan.id, "day": day.isoformat()},
    )


@transaction.atomic
def plan_run(*, plan_id: int, day: dt.date, by: User | None) -> list[Assignment]:
    """Sample ``day``'s interactions of the plan's kind into its evaluators' queues.

    Reproducible (hash of plan and interaction) and idempotent: a second run adds nothing.
    """
    _require_quality(by)
    plan = Plan.objects.select_for_update().filter(id=plan_id).first()
    if plan is None:
        raise NotFound("plan.not_found", f"质检计划 {plan_id} 不存在", field="plan_id")
    evaluator_ids = list(plan.evaluators.values_list("id", flat=True))
    if not plan.active or not evaluator_ids:
        return []
    chosen = sample(
        plan.id,
        interactions_of_day(plan.kind, day),
        rate_pct=plan.rate_pct,
        per_person=plan.per_person,
    )
    done = set(
        Assignment.objects.filter(plan=plan, kind=plan.kind).values_list("object_id", flat=True)
    )
    now = clock_now()
    made = []
    for i in chosen:
        if i.object_id in done:
            continue
        made.append(
            Assignment.objects.create(
                evaluator_id=evaluator_for(plan.id, i, evaluator_ids),
                plan=plan,
                kind=i.kind,
                object_id=i.object_id,
                person=i.person,
                area_code=i.area_code,
                order_id=i.order_id,
                day=day,
                at=i.at,
                created_at=now,
            )
        )
    return made


# --- evaluations -----------------------------------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *, assignment_id: int, answers: dict[str, Any], note: str = "", by: User | None
) -> Evaluation:
    """Score an assignment of one's own queue on the kind's current form.

    One NormCheck per answered question for the evaluated person (none for a calibration
    score: calibration measures the evaluators, not the person).
    """
    a = assignment_require(assignment_id, by=by)
    a = Assignment.objects.select_for_update().get(id=a.id)  # one evaluation per assignment
    if a.status != AssignmentStatus.OPEN:
        raise Conflict("evaluation.already_done", f"评估任务 {a.id} 已评估", field="assignment_id")
    form = form_current(a.kind)
    scored = answers_score(form, answers)
    now = clock_now()
    ev = Evaluation.objects.create(
        assignment=a,
        evaluator=a.evaluator,
        kind=a.kind,
        object_id=a.object_id,
        person=a.person,
        area_code=a.area_code,
        order_id=a.order_id,
        form_version=form.version,
        form=form.as_dict(),
        answers=answers,
        note=note,
        score=scored.score,
        critical_failed=list(scored.critical_failed),
        at=now,
    )
    ids = []
    if a.calibration_id is None:
        for q, _answer, kept in scored.results:
            if kept is None:
                continue
            text = reason(
                "quality.evaluation_item",
                evaluation=ev.id,
                question={"zh": q.text, "en": q.text_en or q.text},
            )
            verdict = (
                Verdict.keep(q.norm, text, evaluation=ev.id, question=q.id)
                if kept
                else Verdict.broke(q.norm, text, evaluation=ev.id, question=q.id)
            )
            check = norm_check_record(
                verdict=verdict,
                at=a.at,
                order_id=a.order_id,
                area_code=a.area_code,
                person=a.person,
            )
            ids.append(check.id)
    ev.norm_check_ids = ids
    ev.save(update_fields=["norm_check_ids"])
    a.status = AssignmentStatus.DONE
    a.save(update_fields=["status"])
    return ev


# --- calibration -----------------------------------------------------------------------------


@transaction.atomic
def calibration_create(
    *, kind: str, object_id: int, evaluators: list[str], note: str = "", by: User | None
) -> CalibrationSession:
    """One interaction into the queues of several evaluators, to compare their scores."""
    _require_quality(by)
    _kind(kind)
    if len(set(evaluators)) < 2:
        raise ValidationFailed(
            "calibration.too_few", "校准会至少需要两名评估员", field="evaluators"
        )
    users = _evaluators(sorted(set(evaluators)), field="evaluators")
    i = interaction_get(kind, object_id)
    now = clock_now()
    session = CalibrationSession.objects.create(
        kind=kind, object_id=object_id, note=note, created_at=now, created_by=by
    )
    for u in users:
        Assignment.objects.create(
            evaluator=u,
            calibration=session,
            kind=kind,
            object_id=object_id,
            person=i.person,
            area_code=i.area_code,
            order_id=i.order_id,
            day=local(i.at).date(),
            at=i.at,
            created_at=now,
        )
    return session


# --- disputes --------------------------------------------------------------------------------


@transaction.atomic
def dispute_raise(*, evaluation_id: int, reason: str, by: User | None) -> Dispute:
    """The evaluated person disputes their own evaluation within the window (QA-08)."""
    ev = evaluation_require(evaluation_id, by=by)
    if by is None or person_of(by) != ev.person:
        raise ValidationFailed(
            "dispute.not_evaluated_person",
            "只有被评估人本人可以申诉",
            field="evaluation_id",
            rule=DISPUTE_NORM,
        )
    ev = Evaluation.objects.select_for_update().get(id=ev.id)
    if ev.status != EvaluationStatus.FINAL or Dispute.objects.filter(evaluation=ev).exists():
        raise Conflict("dispute.exists", f"评估 {ev.id} 已申诉或已裁定", field="evaluation_id")
    hours = norms_snapshot().param(DISPUTE_NORM, "dispute_window_hours")
    now = clock_now()
    if now > ev.at + dt.timedelta(hours=hours):
        raise ValidationFailed(
            "dispute.window_closed",
            f"申诉须在评估后 {hours} 小时内提出（评估时间 {local(ev.at):%Y-%m-%d %H:%M}）",
            field="evaluation_id",
            rule=DISPUTE_NORM,
        )
    dispute = Dispute.objects.create(evaluation=ev, raised_by=by, reason=reason, raised_at=now)
    ev.status = EvaluationStatus.DISPUTED
    ev.save(update_fields=["status"])
    return dispute


@dataclass(frozen=True, slots=True)
class Decision:
    dispute: Dispute
    reversed_checks: int


@transaction.atomic
def dispute_decide(*, dispute_id: int, overturn: bool, note: str = "", by: User | None) -> Decision:
    """A second evaluator (not the first) upholds or overturns the evaluation.

    Overturned: the evaluation's broken NormChecks become kept in place, each naming the
    dispute (ADR 0022); the evaluation keeps its original answers and score for the record.
    """
    _require_quality(by)
    dispute = Dispute.objects.select_for_update().filter(id=dispute_id).first()
    if dispute is None:
        raise NotFound("dispute.not_found", f"申诉 {dispute_id} 不存在", field="dispute_id")
    ev = Evaluation.objects.select_for_update().get(id=dispute.evaluation_id)
    if by is not None and by.id == ev.evaluator_id:
        raise ValidationFailed(
            "dispute.same_evaluator",
            "申诉须由原评估员以外的评估员裁定",
            field="dispute_id",
            rule=DISPUTE_NORM,
        )
    if dispute.status != DisputeStatus.OPEN:
        raise Conflict("dispute.decided", f"申诉 {dispute.id} 已裁定", field="dispute_id")
    now = clock_now()
    dispute.status = DisputeStatus.OVERTURNED if overturn else DisputeStatus.UPHELD
    dispute.decided_by, dispute.decided_at, dispute.decision_note = by, now, note
    dispute.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    ev.status = EvaluationStatus.OVERTURNED if overturn else EvaluationStatus.UPHELD
    ev.save(update_fields=["status"])
    reversed_checks = 0
    if overturn:
        for check in NormCheck.objects.select_for_update().filter(
            id__in=ev.norm_check_ids, kept=False
        ):
            before = {"kept": False, "reason": check.reason}
            check.kept = True
            # The reason quotes the one it replaces, in both languages (guifan.norms.reasons).
            was = both_languages({"message": check.reason, **check.detail})
            why = reason("quality.overturned", dispute=dispute.id, verdict=was)
            check.reason = why.zh()[:300]
            check.detail = {
                **check.detail,
                "overturned_by_dispute": dispute.id,
                "was_kept": False,
                "msg": why.code,
                "args": dict(why.args),
            }
            check.save(update_fields=["kept", "reason", "detail"])
            audit_record(
                actor=by,
                action="evaluation.verdict_reversed",
                obj=check,
                before=before,
                after={"kept": True, "reason": check.reason},
            )
            reversed_checks += 1
    return Decision(dispute, reversed_checks)
