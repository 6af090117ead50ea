"""The evaluation API under /api/v1/evaluations (issue 14, point 7).

Quality staff (evaluators) plan, score the assignments of their own queue, calibrate and
decide disputes; technicians and hall clerks read and dispute only their own evaluations.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.evaluation import schemas as s
from guifan.apps.evaluation import selectors, services
from guifan.apps.evaluation.access import evaluation_require
from guifan.apps.evaluation.forms import KINDS, form_current
from guifan.apps.evaluation.interactions import interaction_get
from guifan.apps.evaluation.models import Assignment, Dispute, Evaluation

QUALITY = (Role.QUALITY,)
EVALUATED = (Role.QUALITY, Role.TECHNICIAN, Role.HALL_STAFF)
PEOPLE = (Role.TECHNICIAN, Role.HALL_STAFF)

router = Router(auth=TokenAuth(), tags=["evaluations"])


def _assignment(a: Assignment, *, facts: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": a.id,
        "kind": a.kind,
        "object_id": a.object_id,
        "person": a.person,
        "area_code": a.area_code,
        "order_id": a.order_id,
        "at": a.at,
        "evaluator": a.evaluator.username,
        "plan_id": a.plan_id,
        "calibration_id": a.calibration_id,
        "status": a.status,
    }
    if facts:
        out["facts"] = interaction_get(a.kind, a.object_id).facts
    return out


def _evaluation(ev: Evaluation) -> dict[str, Any]:
    dispute = Dispute.objects.filter(evaluation=ev).first()
    return {
        "id": ev.id,
        "assignment_id": ev.assignment_id,
        "kind": ev.kind,
        "object_id": ev.object_id,
        "person": ev.person,
        "area_code": ev.area_code,
        "order_id": ev.order_id,
        "evaluator": ev.evaluator.username,
        "form_version": ev.form_version,
        "answers": ev.answers,
        "score": ev.score,
        "critical_failed": ev.critical_failed,
        "status": ev.status,
        "at": ev.at,
        "calibration": ev.assignment.calibration_id is not None,
        "dispute": _dispute(dispute) if dispute else None,
    }


def _dispute(d: Dispute) -> dict[str, Any]:
    return {
        "id": d.id,
        "evaluation_id": d.evaluation_id,
        "reason": d.reason,
        "raised_at": d.raised_at,
        "status": d.status,
        "decided_by": d.decided_by.username if d.decided_by else None,
        "decided_at": d.decided_at,
        "decision_note": d.decision_note,
    }


@router.get("/forms", response=list[dict[str, Any]])
def forms(request: HttpRequest) -> list[dict[str, Any]]:
    """The current form of each interaction kind (questions, norms, weights, critical)."""
    request_user(request, *QUALITY)
    return [form_current(k).as_dict() for k in KINDS]


@router.post("/plans", response={201: dict[str, Any]})
def plan_create(request: HttpRequest, body: s.EvaluationPlanIn) -> Status[Any]:
    user = request_user(request, *QUALITY)
    plan = services.plan_create(
        name=body.name,
        kind=body.kind,
        evaluators=body.evaluators,
        rate_pct=body.rate_pct,
        per_person=body.per_person,
        by=user,
    )
    return Status(201, {"id": plan.id, "name": plan.name, "kind": plan.kind})


@router.post("/plans/{plan_id}/run", response=list[dict[str, Any]])
def plan_run(request: HttpRequest, plan_id: int, body: s.PlanRunIn) -> list[dict[str, Any]]:
    """Sample a day now (the planner's evening timer does this by itself)."""
    user = request_user(request, *QUALITY)
    return [_assignment(a) for a in services.plan_run(plan_id=plan_id, day=body.day, by=user)]


@router.get("/queue", response=list[dict[str, Any]])
def queue(request: HttpRequest) -> list[dict[str, Any]]:
    """The open assignments of the caller's queue, with what happened in each interaction."""
    user = request_user(request, *QUALITY)
    return [_assignment(a, facts=True) for a in selectors.queue_list(by=user)]


@router.post("/assignments/{assignment_id}", response={201: dict[str, Any]})
def evaluate(request: HttpRequest, assignment_id: int, body: s.EvaluationIn) -> Status[Any]:
    """Score an assignment of one's own queue (another's: 404)."""
    user = request_user(request, *QUALITY)
    ev = services.evaluation_submit(
        assignment_id=assignment_id, answers=dict(body.answers), note=body.note, by=user
    )
    return Status(201, _evaluation(ev))


@router.get("/disputes", response=list[dict[str, Any]])
def disputes(request: HttpRequest) -> list[dict[str, Any]]:
    user = request_user(request, *EVALUATED)
    return [_dispute(d) for d in selectors.dispute_list(by=user)]


@router.post("/disputes/{dispute_id}/decision", response=dict[str, Any])
def dispute_decide(request: HttpRequest, dispute_id: int, body: s.DecisionIn) -> dict[str, Any]:
    """A second evaluator upholds or overturns (the first: 422)."""
    user = request_user(request, *QUALITY)
    decision = services.dispute_decide(
        dispute_id=dispute_id, overturn=body.overturn, note=body.note, by=user
    )
    return {**_dispute(decision.dispute), "reversed_checks": decision.reversed_checks}


@router.post("/calibrations", response={201: dict[str, Any]})
def calibration_create(request: HttpRequest, body: s.CalibrationIn) -> Status[Any]:
    user = request_user(request, *QUALITY)
    session = services.calibration_create(
        kind=body.kind,
        object_id=body.object_id,
        evaluators=body.evaluators,
        note=body.note,
        by=user,
    )
    return Status(201, {"id": session.id, "kind": session.kind, "object_id": session.object_id})


@router.get("/calibrations/{session_id}", response=dict[str, Any])
def calibration(request: HttpRequest, session_id: int) -> dict[str, Any]:
    """Scores, answers per question, pairwise agreement and Krippendorff's alpha."""
    request_user(request, *QUALITY)
    view = selectors.calibration_get(session_id=session_id)
    return {
        "id": view.session.id,
        "kind": view.session.kind,
        "object_id": view.session.object_id,
        "evaluators": view.evaluators,
        "pending": view.pending,
        "scores": view.scores,
        "alpha": view.alpha,
        "questions": [dataclasses.asdict(q) for q in view.questions],
    }


@router.get("", response=list[dict[str, Any]])
def evaluation_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Evaluators: every evaluation; technicians and hall clerks: their own."""
    user = request_user(request, *EVALUATED)
    return [_evaluation(ev) for ev in selectors.evaluation_list(by=user)]


@router.get("/{evaluation_id}", response=dict[str, Any])
def evaluation_get(request: HttpRequest, evaluation_id: int) -> dict[str, Any]:
    user = request_user(request, *EVALUATED)
    return _evaluation(evaluation_require(evaluation_id, by=user))


@router.post("/{evaluation_id}/disputes", response={201: dict[str, Any]})
def dispute_raise(request: HttpRequest, evaluation_id: int, body: s.DisputeIn) -> Status[Any]:
    """The evaluated person disputes within the window (QA-08 dispute_window_hours)."""
    user = request_user(request, *PEOPLE)
    d = services.dispute_raise(evaluation_id=evaluation_id, reason=body.reason, by=user)
    return Status(201, _dispute(d))
