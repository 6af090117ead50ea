"""Reads: the evaluator's queue, evaluations and disputes one may see, calibration agreement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from guifan.agreement import alpha, pairwise_agreement
from guifan.apps.accounts.models import User
from guifan.apps.evaluation.access import assignment_q, evaluation_q
from guifan.apps.evaluation.forms import form_from_dict
from guifan.apps.evaluation.models import (
    Assignment,
    AssignmentStatus,
    CalibrationSession,
    Dispute,
    Evaluation,
)
from guifan.errors import NotFound


def queue_list(*, by: User | None, status: str = AssignmentStatus.OPEN) -> QuerySet[Assignment]:
    """The assignments in ``by``'s queue (all queues for who acts everywhere)."""
    return (
        Assignment.objects.filter(assignment_q(by), status=status)
        .select_related("evaluator", "calibration", "plan")
        .order_by("at", "id")
    )


def evaluation_list(*, by: User | None, limit: int = 200) -> list[Evaluation]:
    return list(
        Evaluation.objects.filter(evaluation_q(by))
        .select_related("evaluator", "assignment")
        .order_by("-at", "-id")[:limit]
    )


def dispute_list(*, by: User | None, open_only: bool = False) -> list[Dispute]:
    rows = Dispute.objects.filter(
        evaluation__in=Evaluation.objects.filter(evaluation_q(by))
    ).select_related("evaluation__evaluator", "raised_by", "decided_by")
    if open_only:
        rows = rows.filter(status="open")
    return list(rows.order_by("status", "raised_at", "id"))


@dataclass(frozen=True, slots=True)
class QuestionAgreement:
    id: str
    norm: str
    text: str
    text_en: str
    critical: bool
    answers: list[Any]  # one per evaluator, in the evaluators' order
    agreement: float | None  # share of evaluator pairs giving the same verdict


@dataclass(frozen=True, slots=True)
class Calibration:
    session: CalibrationSession
    evaluators: list[str]
    scores: list[float | None]
    pending: list[str]
    questions: list[QuestionAgreement]
    alpha: float | None  # Krippendorff's alpha, interval, questions as units


def calibration_get(*, session_id: int) -> Calibration:
    session = CalibrationSession.objects.filter(id=session_id).first()
    if session is None:
        raise NotFound("calibration.not_found", f"校准会 {session_id} 不存在", field="session_id")
    assignments = list(
        session.assignments.select_related("evaluator").order_by("evaluator__username")
    )
    evs = {e.assignment_id: e for e in Evaluation.objects.filter(assignment__calibration=session)}
    done = [a for a in assignments if a.id in evs]
    names = [a.evaluator.username for a in done]
    pending = [a.evaluator.username for a in assignments if a.id not in evs]
    questions: list[QuestionAgreement] = []
    matrix: list[list[float | None]] = [[] for _ in done]
    if done:
        form = form_from_dict(evs[done[0].id].form)
        for q in form.questions:
            raw = [evs[a.id].answers.get(q.id) for a in done]
            verdicts = [None if v is None else float(q.kept(v)) for v in raw]
            for row, v in zip(matrix, raw, strict=True):
                row.append(None if v is None else q.value(v))
            questions.append(
                QuestionAgreement(
                    id=q.id,
                    norm=q.norm,
                    text=q.text,
                    text_en=q.text_en,
                    critical=q.critical,
                    answers=raw,
                    agreement=pairwise_agreement(verdicts),
                )
            )
    return Calibration(
        session=session,
        evaluators=names,
        scores=[evs[a.id].score for a in done],
        pending=pending,
        questions=questions,
        alpha=alpha(matrix, level="interval") if len(done) >= 2 else None,
    )
