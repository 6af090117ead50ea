"""Evaluation objects for the authz matrix, made on demand for the side addressed (issue 14).

The city's quality user (``quality``) owns the own side's assignment; the other side's is in
another evaluator's queue. An evaluation is of the side's technician, or of the side's hall
clerk when the hall clerk asks, so each evaluated person has their own.
"""

from __future__ import annotations

from guifan.apps.accounts.models import Role, User
from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.evaluation.models import Assignment, CalibrationSession, Dispute, Plan
from guifan.apps.evaluation.services import calibration_create, evaluation_submit
from guifan.apps.workforce.models import Technician
from guifan.clock import now as clock_now
from tests.city import Side

GOOD = {
    "courtesy": True,
    "no_forbidden": True,
    "routine": 5,
    "mandarin": True,
    "surname": True,
    "plain_words": 4,
    "script": True,
    "no_prying": True,
}


def _evaluator(name: str) -> User:
    user, _ = User.objects.get_or_create(username=name, defaults={"role": Role.QUALITY})
    return user


def _transcript(side: Side, person: str) -> TranscriptCheck:
    return TranscriptCheck.objects.create(
        order_id=side.order_id,
        channel="phone",
        moment="booking",
        turns=[{"speaker": "staff", "text": "您好"}],
        person=person,
        area_code=side.area,
        at=clock_now(),
        score=90,
    )


def _assignment(side: Side, evaluator: User, person: str) -> Assignment:
    t = _transcript(side, person)
    return Assignment.objects.create(
        evaluator=evaluator,
        kind="transcript",
        object_id=t.id,
        person=person,
        area_code=side.area,
        order_id=side.order_id,
        day=clock_now().date(),
        at=t.at,
        created_at=clock_now(),
    )


def _badge(side: Side) -> str:
    return Technician.objects.get(id=side.technician_id).badge_no


def assignment_id(side: Side) -> int:
    """Own side: in the city's evaluator's queue; other side: in another evaluator's."""
    own = side.area == "A01"
    evaluator = _evaluator("quality" if own else "quality_other")
    return _assignment(side, evaluator, _badge(side)).id


def evaluation_id(side: Side, role: str) -> int:
    """A scored evaluation of the side's technician (the side's clerk for hall staff)."""
    person = side.staff.username if role == Role.HALL_STAFF else _badge(side)
    a = _assignment(side, _evaluator("quality_first"), person)
    return evaluation_submit(assignment_id=a.id, answers=GOOD, by=None).id


def dispute_id(side: Side) -> int:
    """An open dispute of the side's technician, on another evaluator's evaluation."""
    ev_id = evaluation_id(side, Role.TECHNICIAN)
    return Dispute.objects.create(
        evaluation_id=ev_id,
        raised_by=side.technician_user,
        reason="申诉",
        raised_at=clock_now(),
    ).id


def plan_id(side: Side) -> int:
    plan = Plan.objects.create(
        name="authz", kind="transcript", per_person=1, created_at=clock_now()
    )
    plan.evaluators.set([_evaluator("quality")])
    return plan.id


def session_id(side: Side) -> int:
    t = _transcript(side, _badge(side))
    _evaluator("quality")
    _evaluator("quality_other")
    session: CalibrationSession = calibration_create(
        kind="transcript", object_id=t.id, evaluators=["quality", "quality_other"], by=None
    )
    return session.id


def transcript_id(side: Side) -> int:
    _evaluator("quality_other")  # the second evaluator of a calibration body
    return _transcript(side, _badge(side)).id
