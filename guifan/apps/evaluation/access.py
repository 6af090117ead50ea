"""Who may see and act on evaluations: the evaluation half of the actor rule (ADR 0013).

- Administrators, integrations and the worker (``by is None``) act on everything.
- Quality staff (evaluators) read every evaluation and dispute; each scores only the
  assignments in their own queue; a dispute is decided by an evaluator other than the first.
- A technician reads and disputes the evaluations of their own badge, a hall clerk those of
  their own username.
- Everyone else sees nothing.

Someone else's assignment or evaluation is a 404 like a missing one.
"""

from __future__ import annotations

from django.db.models import Q

from guifan.apps.accounts.models import Role, User
from guifan.apps.evaluation.models import Assignment, Evaluation
from guifan.apps.workforce.access import acts_everywhere
from guifan.apps.workforce.models import Technician
from guifan.errors import NotFound


def person_of(by: User) -> str | None:
    """The name ``by`` is evaluated under: a technician's badge, a hall clerk's username."""
    if by.role == Role.TECHNICIAN:
        return Technician.objects.filter(user=by).values_list("badge_no", flat=True).first()
    if by.role == Role.HALL_STAFF:
        return by.username
    return None


def evaluation_q(by: User | None) -> Q:
    """A filter of the evaluations ``by`` may read."""
    if acts_everywhere(by):
        return Q()
    assert by is not None
    if by.role == Role.QUALITY:
        return Q()
    person = person_of(by)
    if person:
        # The evaluated person sees scores that count, not the evaluators' calibration.
        return Q(person=person, assignment__calibration__isnull=True)
    return Q(pk__in=[])


def evaluation_require(evaluation_id: int, *, by: User | None) -> Evaluation:
    ev = (
        Evaluation.objects.filter(evaluation_q(by), id=evaluation_id)
        .select_related("assignment", "evaluator")
        .first()
    )
    if ev is None:
        raise NotFound(
            "evaluation.not_found",
            f"评估 {evaluation_id} 不存在或无权查看",
            field="evaluation_id",
        )
    return ev


def assignment_q(by: User | None) -> Q:
    """A filter of the assignments ``by`` may score: their own queue."""
    if acts_everywhere(by):
        return Q()
    assert by is not None
    if by.role == Role.QUALITY:
        return Q(evaluator=by)
    return Q(pk__in=[])


def assignment_require(assignment_id: int, *, by: User | None) -> Assignment:
    a = Assignment.objects.filter(assignment_q(by), id=assignment_id).first()
    if a is None:
        raise NotFound(
            "evaluation.not_in_queue",
            f"评估任务 {assignment_id} 不在您的评估队列中",
            field="assignment_id",
        )
    return a
