"""Shapes of the evaluation API's bodies."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema

from guifan.textinput import Day, Text

Name = Annotated[str, Text(150)]


class EvaluationPlanIn(Schema):
    name: Annotated[str, Text(100)]
    kind: Annotated[str, Text(12)]
    evaluators: list[Name] = Field(..., min_length=1, max_length=50)
    # The range is the service's rule (422 naming rate_pct), not the schema's.
    rate_pct: float | None = None
    per_person: int | None = None


class PlanRunIn(Schema):
    day: Day


class EvaluationIn(Schema):
    # question id -> true/false (yes_no), 1..5 (score5) or null (not applicable); the
    # question ids and values are checked against the form version (422 naming the question).
    answers: dict[Annotated[str, Text(40)], bool | int | None] = Field(..., max_length=60)
    note: Annotated[str, Text(500)] = ""


class DisputeIn(Schema):
    reason: Annotated[str, Text(500)]


class DecisionIn(Schema):
    overturn: bool
    note: Annotated[str, Text(500)] = ""


class CalibrationIn(Schema):
    kind: Annotated[str, Text(12)]
    object_id: int = Field(..., ge=1)
    evaluators: list[Name] = Field(..., min_length=2, max_length=20)
    note: Annotated[str, Text(200)] = ""
