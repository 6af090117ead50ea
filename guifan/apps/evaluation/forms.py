"""Evaluation forms as versioned data (forms.json) and the scoring of one set of answers.

No Django here: a form is a frozen copy of its JSON, so an evaluation stores the questions it
was scored on (``Form.as_dict``) and a new version never changes a stored evaluation.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guifan.errors import NotFound, ValidationFailed
from guifan.norms import norm_get

FORMS_PATH = Path(__file__).with_name("forms.json")
KINDS = ("transcript", "visit", "ticket")
SCALES = ("yes_no", "score5")

Answer = bool | int | None  # None: not applicable (no verdict, not scored)


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    norm: str
    weight: float
    critical: bool
    scale: str
    text: str
    text_en: str = ""
    pass_at: int = 3

    def value(self, answer: Answer) -> float:
        """The answer as a fraction of the question's points (0..1)."""
        if self.scale == "yes_no":
            return 1.0 if answer else 0.0
        assert isinstance(answer, int)
        return (answer - 1) / 4

    def kept(self, answer: Answer) -> bool:
        if self.scale == "yes_no":
            return bool(answer)
        assert isinstance(answer, int)
        return answer >= self.pass_at


@dataclass(frozen=True, slots=True)
class Form:
    kind: str
    version: int
    title: str
    questions: tuple[Question, ...]
    title_en: str = ""

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "version": self.version,
            "title": self.title,
            "title_en": self.title_en,
            "questions": [
                {
                    "id": q.id,
                    "norm": q.norm,
                    "weight": q.weight,
                    "critical": q.critical,
                    "scale": q.scale,
                    "text": q.text,
                    "text_en": q.text_en,
                    "pass_at": q.pass_at,
                }
                for q in self.questions
            ],
        }


def form_from_dict(raw: dict[str, Any]) -> Form:
    """A form from its JSON (forms.json or a stored copy); checks norms, scales and ids."""
    questions = tuple(
        Question(
            id=q["id"],
            norm=q["norm"],
            weight=float(q["weight"]),
            critical=bool(q.get("critical", False)),
            scale=q["scale"],
            text=q["text"],
            text_en=q.get("text_en", ""),
            pass_at=int(q.get("pass_at", 3)),
        )
        for q in raw["questions"]
    )
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError(f"form {raw['kind']} v{raw['version']}: duplicate question ids")
    for q in questions:
        norm_get(q.norm)  # KeyError for a norm the catalog does not know
        if q.scale not in SCALES or q.weight < 0:
            raise ValueError(f"form {raw['kind']} v{raw['version']}: question {q.id}")
    return Form(
        kind=raw["kind"],
        version=int(raw["version"]),
        title=raw["title"],
        title_en=raw.get("title_en", ""),
        questions=questions,
    )


@functools.cache
def forms_all() -> tuple[Form, ...]:
    data = json.loads(FORMS_PATH.read_text("utf-8"))
    return tuple(form_from_dict(f) for f in data["forms"])


def form_current(kind: str) -> Form:
    """The newest version of the form for ``kind``."""
    found = [f for f in forms_all() if f.kind == kind]
    if not found:
        raise NotFound("evaluation.no_form", f"没有 {kind} 的评估表", field="kind")
    return max(found, key=lambda f: f.version)


@dataclass(frozen=True, slots=True)
class Scored:
    score: float  # 0..100
    critical_failed: tuple[str, ...]  # ids of the critical questions answered broken
    results: tuple[tuple[Question, Answer, bool | None], ...]  # question, answer, kept


def answers_score(form: Form, answers: dict[str, Any]) -> Scored:
    """Score ``answers`` on ``form``: weighted mean of the answered questions, 0 when a
    critical question is broken. An answer to a question not on the form, a missing
    answer or a value outside the scale is refused naming the question."""
    for qid in answers:
        if form.question(qid) is None:
            raise ValidationFailed(
                "evaluation.unknown_question",
                f"问题 {qid} 不在评估表 {form.kind} 第 {form.version} 版中",
                field=f"answers.{qid}",
            )
    results: list[tuple[Question, Answer, bool | None]] = []
    for q in form.questions:
        if q.id not in answers:
            raise ValidationFailed(
                "evaluation.missing_answer",
                f"问题 {q.id} 未作答（不适用请填 null）",
                field=f"answers.{q.id}",
                rule=q.norm,
            )
        a = answers[q.id]
        ok_type = a is None or (
            isinstance(a, bool) if q.scale == "yes_no" else (type(a) is int and 1 <= a <= 5)
        )
        if not ok_type:
            scale = "true/false" if q.scale == "yes_no" else "1–5"
            raise ValidationFailed(
                "evaluation.bad_answer",
                f"问题 {q.id} 的答案应为 {scale} 或 null",
                field=f"answers.{q.id}",
                rule=q.norm,
            )
        results.append((q, a, None if a is None else q.kept(a)))
    critical = tuple(q.id for q, a, kept in results if q.critical and kept is False)
    total = sum(q.weight for q, a, _ in results if a is not None)
    got = sum(q.weight * q.value(a) for q, a, _ in results if a is not None)
    score = 0.0 if critical or total == 0 else round(100 * got / total, 1)
    return Scored(score=score, critical_failed=critical, results=tuple(results))
