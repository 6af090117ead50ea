"""The on-site checklist as data: VIS-01..VIS-19 from the norm catalog plus ``checklist.json``.

The catalog holds each norm's title, mode and rule; ``checklist.json`` adds the Chinese
instruction, the LNG-03 script moment or the seeds' lines, and where a step applies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from guifan.compliance.scripts import Script, ScriptBook
from guifan.norms import norm_get
from guifan.norms.evidence import Fee


@dataclass(frozen=True, slots=True)
class ChecklistStep:
    """One step of the visit, named by its norm."""

    norm_id: str
    title: str
    mode: str
    do: str
    moment: str
    mandatory: bool
    check: bool
    gate: bool = False
    evidence: str = ""  # a check in guifan.norms.evidence (or "charges", VIS-08)
    service_types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def applies(self, *, service_type: str, kind: str) -> bool:
        return (not self.service_types or service_type in self.service_types) and (
            not self.kinds or kind in self.kinds
        )


def _step(entry: dict[str, Any]) -> tuple[ChecklistStep, Script | None]:
    norm = norm_get(entry["norm"])
    applies = entry.get("applies", {})
    lines = tuple(entry.get("lines", ()))
    # Steps with their own lines get a script of their own, named after the norm.
    moment = entry.get("moment") or (norm.id if lines else "")
    step = ChecklistStep(
        norm_id=norm.id,
        title=norm.title_zh,
        mode=norm.mode,
        do=entry["do"],
        moment=moment,
        mandatory=bool(entry.get("mandatory", norm.mode == "enforced")),
        check=bool(entry.get("check", True)),
        gate=bool(entry.get("gate", False)),
        evidence=str(entry.get("evidence", "")),
        service_types=tuple(applies.get("service_type", ())),
        kinds=tuple(applies.get("kind", ())),
    )
    script = Script(moment=norm.id, channel="visit", lines=lines, sources=()) if lines else None
    return step, script


@cache
def _load() -> tuple[tuple[ChecklistStep, ...], dict[str, Script]]:
    text = resources.files("guifan.apps.fieldwork").joinpath("checklist.json").read_text("utf-8")
    steps, scripts = [], {}
    for entry in json.loads(text)["steps"]:
        step, script = _step(entry)
        steps.append(step)
        if script is not None:
            scripts[script.moment] = script
    return tuple(steps), scripts


def checklist_steps() -> tuple[ChecklistStep, ...]:
    """Every step in visit order."""
    return _load()[0]


def checklist_step_get(norm_id: str) -> ChecklistStep | None:
    return next((s for s in checklist_steps() if s.norm_id == norm_id), None)


def gates_before(norm_id: str) -> tuple[ChecklistStep, ...]:
    """The gate steps that come before ``norm_id`` in visit order."""
    before: list[ChecklistStep] = []
    for step in checklist_steps():
        if step.norm_id == norm_id:
            return tuple(s for s in before if s.gate)
        before.append(step)
    return ()


def checklist_for(*, service_type: str, kind: str) -> tuple[ChecklistStep, ...]:
    """The steps that apply to an order of this service type and kind."""
    return tuple(s for s in checklist_steps() if s.applies(service_type=service_type, kind=kind))


def step_scriptbook(book: ScriptBook) -> ScriptBook:
    """The LNG-03 scriptbook with the checklist's own lines added as moments."""
    return replace(book, scripts={**book.scripts, **_load()[1]})


@cache
def fee_table() -> tuple[dict[str, Fee], int]:
    """The published fee table (VIS-08) and the free-adjustment days after an install."""
    text = resources.files("guifan.apps.fieldwork").joinpath("fees.json").read_text("utf-8")
    data = json.loads(text)
    fees = {
        f["code"]: Fee(f["code"], f["name"], float(f["amount"]), f["category"])
        for f in data["fees"]
    }
    return fees, int(data["free_adjust_days"])
