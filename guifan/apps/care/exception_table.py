"""The customer-side exceptions of a visit (seed 003's exception table), as typed data.

``field_exceptions.json`` holds, per kind, the Chinese title, the seed's guided steps (each
optionally naming the norm it keeps, and whether skipping it breaks that norm), the answers
the technician gives, whether the centre is called, and where the visit goes next:
``await_appointment`` (the desk rebooks with the customer), ``continue`` (the visit goes on)
or ``abandon`` (leave at once; the order goes back to the desk). Read once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

TABLE = Path(__file__).with_name("field_exceptions.json")
NEXT_STATES = ("await_appointment", "continue", "abandon")


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    text: str
    norm: str = ""
    missed: str = "none"  # "broke": skipping the step breaks ``norm``; "none": no verdict
    only_when: dict[str, Any] = field(default_factory=dict)

    def applies(self, answers: dict[str, Any]) -> bool:
        return all(answers.get(k) == v for k, v in self.only_when.items())


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    required: bool = True
    type: str = "text"  # text | bool
    choices: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExceptionKind:
    kind: str
    title: str
    seed: str
    safety: bool
    steps: tuple[Step, ...]
    fields: tuple[Field, ...]
    centre_call: bool
    next: str
    flag_quality: bool
    centre_reason: str = ""
    continue_when: dict[str, Any] = field(default_factory=dict)

    def next_state(self, answers: dict[str, Any]) -> str:
        """Where the visit goes: ``continue`` when the answers meet ``continue_when``."""
        if self.continue_when and all(answers.get(k) == v for k, v in self.continue_when.items()):
            return "continue"
        return self.next


@dataclass(frozen=True, slots=True)
class ExceptionTable:
    source: str
    centre_hotline: str
    kinds: dict[str, ExceptionKind]


def _kind(raw: dict[str, Any]) -> ExceptionKind:
    kind = ExceptionKind(
        kind=raw["kind"],
        title=raw["title"],
        seed=raw["seed"],
        safety=bool(raw["safety"]),
        steps=tuple(Step(**s) for s in raw["steps"]),
        fields=tuple(Field(**f) for f in raw["fields"]),
        centre_call=bool(raw["centre_call"]),
        next=raw["next"],
        flag_quality=bool(raw["flag_quality"]),
        centre_reason=raw.get("centre_reason", ""),
        continue_when=raw.get("continue_when", {}),
    )
    if kind.next not in NEXT_STATES:
        raise ValueError(f"{kind.kind}: next must be one of {NEXT_STATES}")
    names = [s.id for s in kind.steps] + [f.name for f in kind.fields]
    if len(names) != len(set(names)):
        raise ValueError(f"{kind.kind}: a step id or field name is used twice")
    return kind


@cache
def exception_table() -> ExceptionTable:
    raw = json.loads(TABLE.read_text(encoding="utf-8"))
    kinds = [_kind(k) for k in raw["kinds"]]
    return ExceptionTable(
        source=raw["source"],
        centre_hotline=raw["centre_hotline"],
        kinds={k.kind: k for k in kinds},
    )
