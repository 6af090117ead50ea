"""Hall inspections (HAL-09): the mystery-shopper checklist, scored kept / broken per item.

The checklist is data (``inspection_checklist.json``, from NORMS.md). Temperature and noise
are measured and scored against the HAL-09 parameters; deduction items are counted apart
and bonus items only ever add.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.access import hall_for
from guifan.apps.hall.models import HallPost, Inspection
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.clock import now as clock_now
from guifan.errors import ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

ANSWERS = ("kept", "broken", "na")
TEMPERATURE_ITEM, NOISE_ITEM, TERMINALS_ITEM = 46, 47, 43
# Checklist item 43 sets the share of working self-service terminals; the catalog has no
# parameter for it.
TERMINALS_WORKING_MIN = 0.5
# Checklist items on the staff's conduct, attitude and shirking: STF-07 for each clerk on duty.
STAFF_ITEMS = (4, 5, 6)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    no: int
    item: str
    threshold: str
    quote: str
    kind: str  # item, deduction or bonus


@cache
def checklist() -> tuple[ChecklistItem, ...]:
    text = resources.files("guifan.apps.hall").joinpath("inspection_checklist.json")
    data = json.loads(text.read_text("utf-8"))
    return tuple(ChecklistItem(**raw) for raw in data["items"])


@dataclass(frozen=True, slots=True)
class Measurements:
    temperature_c: float | None = None
    noise_db: float | None = None
    terminals_working: int | None = None
    terminals_total: int | None = None

    def check(self) -> None:
        if self.temperature_c is not None and not -30 <= self.temperature_c <= 60:
            raise ValidationFailed(
                "inspection.temperature", "温度须在 -30–60 °C", field="temperature_c"
            )
        if self.noise_db is not None and not 0 <= self.noise_db <= 150:
            raise ValidationFailed("inspection.noise", "噪声须在 0–150 dB", field="noise_db")
        working, total = self.terminals_working, self.terminals_total
        if (working is None) != (total is None):
            raise ValidationFailed(
                "inspection.terminals", "请同时填写完好数和总数", field="terminals_working"
            )
        if working is not None and total is not None and not 0 <= working <= total:
            raise ValidationFailed(
                "inspection.terminals", "完好数须在 0 到总数之间", field="terminals_working"
            )


def _measured(m: Measurements) -> dict[int, str]:
    """Answers that the measurements decide, against the HAL-09 parameters."""
    ns = norms_snapshot()
    low, high = ns.param("HAL-09", "temperature_c")
    answers: dict[int, str] = {}
    if m.temperature_c is not None:
        answers[TEMPERATURE_ITEM] = "kept" if low <= m.temperature_c <= high else "broken"
    if m.noise_db is not None:
        limit = ns.param("HAL-09", "noise_db_max")
        answers[NOISE_ITEM] = "kept" if m.noise_db <= limit else "broken"
    if m.terminals_total:
        share = (m.terminals_working or 0) / m.terminals_total
        answers[TERMINALS_ITEM] = "kept" if share >= TERMINALS_WORKING_MIN else "broken"
    return answers


@transaction.atomic
def inspection_record(
    *, hall_code: str, answers: Mapping[int, str], measurements: Measurements, by: User | None
) -> Inspection:
    """Score one inspection; HAL-09 is kept when no item is broken and nothing is deducted."""
    hall = hall_for(by=by, code=hall_code, inspect=True)
    measurements.check()
    items = {i.no: i for i in checklist()}
    for no, answer in answers.items():
        if no not in items or answer not in ANSWERS:
            raise ValidationFailed("inspection.answer", f"第 {no} 项的结果无效", field=f"item_{no}")
    results = {**{i: "na" for i in items}, **answers, **_measured(measurements)}
    kinds = {k: [no for no, a in results.items() if a == k] for k in ("kept", "broken")}
    scored_kept = [n for n in kinds["kept"] if items[n].kind != "bonus"]
    broken = [n for n in kinds["broken"] if items[n].kind == "item"]
    deductions = [n for n in kinds["broken"] if items[n].kind == "deduction"]
    bonus = [n for n in kinds["kept"] if items[n].kind == "bonus"]
    scored = len(scored_kept) + len(broken) + len(deductions)
    score = round(100 * len(scored_kept) / scored, 1) if scored else 0.0
    now = clock_now()
    inspection = Inspection.objects.create(
        hall=hall,
        at=now,
        inspector=by,
        results={str(n): a for n, a in sorted(results.items())},
        measurements={k: v for k, v in asdict(measurements).items() if v is not None},
        score=score,
        broken=len(broken),
        deductions=len(deductions),
        bonus=len(bonus),
    )
    detail = {"score": score, "broken": len(broken), "deductions": len(deductions)}
    text = reason("hal09.inspection", **detail)
    verdict = (
        Verdict.keep("HAL-09", text, **detail)
        if not broken and not deductions
        else Verdict.broke("HAL-09", text, **detail)
    )
    norm_check_record(
        verdict=verdict, at=now, area_code=hall.code, person=by.username if by else ""
    )
    _discipline_record(hall_id=hall.id, hall_code=hall.code, results=results, at=now)
    return inspection


def _discipline_record(
    *, hall_id: int, hall_code: str, results: Mapping[int, str], at: dt.datetime
) -> None:
    """STF-07 for each clerk at a counter: broken when a staff item (4–6) was broken."""
    answered = {no: results[no] for no in STAFF_ITEMS if results.get(no) in ("kept", "broken")}
    if not answered:
        return
    broken = [no for no, a in answered.items() if a == "broken"]
    text = (
        reason("hall.stf07.discipline_broken", items=[str(no) for no in broken])
        if broken
        else reason("hall.stf07.discipline_ok")
    )
    clerks = HallPost.objects.filter(
        hall_id=hall_id, counter__isnull=False, user__role=Role.HALL_STAFF
    ).values_list("user__username", flat=True)
    for username in sorted(clerks):
        verdict = (
            Verdict.broke("STF-07", text, items=",".join(map(str, broken)))
            if broken
            else Verdict.keep("STF-07", text)
        )
        norm_check_record(verdict=verdict, at=at, area_code=hall_code, person=username)
