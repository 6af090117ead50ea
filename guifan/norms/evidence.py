"""What a visit step must show, per norm: pure checks of the evidence a technician records.

Each check takes the evidence as sent (a JSON object) and the order's facts and returns the
evidence to keep (personal data masked, SEC-01) with the shortfalls that break the norm.
Malformed evidence (a missing required field, a negative speed) raises ``ValidationFailed``
naming the field and the norm; evidence that is well-formed but falls short (a speed below the
subscribed rate, a self-check item not met) is kept and judged: ``Judged.notes``, each
shortfall a reason message (``guifan.norms.reasons``), ``Judged.shortfalls`` their Chinese text.
``Judged.blocks`` says whether the shortfall stops completion (the enforced norms).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from guifan.errors import ValidationFailed
from guifan.norms.reasons import Reason, reason

# A GPON home port (GE) carries 1000 Mbps; plans above that ride 10G-PON.
GE_LINE_MBPS = 1000.0
XGPON_LINE_MBPS = 10000.0
BROADBAND_NUMBER = re.compile(r"^[0-9A-Za-z@._-]{6,40}$")

SELF_CHECK_ITEMS = ("uniform", "badge", "grooming", "smiling", "materials")
# The staff norms a pre-door self-check item measures (STF-01..03, "measured from it").
SELF_CHECK_STAFF_NORMS = {"uniform": "STF-01", "badge": "STF-02", "grooming": "STF-03"}


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the checks need to know of the order."""

    service_type: str
    kind: str
    plan_mbps: int | None = None
    installed_on: dt.date | None = None
    today: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Fee:
    code: str
    name: str
    amount: float
    # "labour" / "part" / "software": what the warranty and the install month make free.
    category: str


@dataclass(slots=True)
class Judged:
    evidence: dict[str, Any]
    notes: list[Reason] = field(default_factory=list)  # the shortfalls, as reason messages
    blocks: bool = False
    staff: dict[str, bool] = field(default_factory=dict)  # STF norm -> kept

    @property
    def shortfalls(self) -> list[str]:
        """The shortfalls in Chinese, as a step's record keeps them."""
        return [note.zh() for note in self.notes]

    def why(self) -> Reason:
        """The shortfalls as a broken verdict's reason (there is one at least): the message
        itself, or several joined in each language (their texts as the arguments)."""
        first, *more = self.notes
        if not more:
            return first
        return reason(
            "field_work.shortfalls",
            first_shortfall={"zh": first.zh(), "en": first.en()},
            more_shortfalls={
                "zh": "；".join(n.zh() for n in more),
                "en": "; ".join(n.en() for n in more),
            },
        )


def _fail(norm: str, name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "step.evidence", f"{norm}：{message}", field=f"evidence.{name}", rule=norm
    )


def _bool(ev: Mapping[str, Any], name: str, norm: str) -> bool:
    value = ev.get(name)
    if not isinstance(value, bool):
        raise _fail(norm, name, "请选择是或否")
    return value


def _text(ev: Mapping[str, Any], name: str, norm: str, *, max_length: int = 200) -> str:
    value = ev.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _fail(norm, name, "必填")
    value = value.strip()
    if len(value) > max_length or "\x00" in value:
        raise _fail(norm, name, f"不能超过 {max_length} 个字符")
    return value


def _number(ev: Mapping[str, Any], name: str, norm: str) -> float:
    value = ev.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise _fail(norm, name, "须为数字")
    return float(value)


def mask_middle(value: str) -> str:
    """Keep the first two and last two characters (SEC-01)."""
    if len(value) <= 4:
        return "*" * len(value)
    return f"{value[:2]}{'*' * (len(value) - 4)}{value[-2:]}"


def self_check(ev: Mapping[str, Any], facts: OrderFacts, params: Mapping[str, Any]) -> Judged:
    """VIS-01: gate ID shown and the pre-door self-check; STF-01..03 are measured from it."""
    norm = "VIS-01"
    items = ev.get("items")
    if not isinstance(items, Mapping):
        raise _fail(norm, "items", "请逐项自检")
    kept = {name: _bool(items, name, norm) for name in SELF_CHECK_ITEMS}
    gate = _bool(ev, "gate_id_shown", norm)
    out = Judged({"items": kept, "gate_id_shown": gate})
    out.notes = [
        reason("vis01.self_check_item_failed", self_check_item=k)
        for k, ok in kept.items()
        if not ok
    ]
    if not gate:
        out.notes.append(reason("vis01.gate_id_not_shown"))
    out.staff = {SELF_CHECK_STAFF_NORMS[k]: kept[k] for k in SELF_CHECK_STAFF_NORMS}
    return out


def fee_total(
    charges: Sequence[Mapping[str, Any]],
    fees: Mapping[str, Fee],
    facts: OrderFacts,
    *,
    warranty: str,
    free_adjust_days: int,
) -> tuple[list[dict[str, Any]], float]:
    """Price each charge line from the published fee table (VIS-08).

    In warranty, parts and labour are free; within ``free_adjust_days`` of the install an
    adjustment is free; a warranty-card price lower than the table wins (seed 003).
    """
    lines: list[dict[str, Any]] = []
    norm = "VIS-08"
    for i, line in enumerate(charges):
        if not isinstance(line, Mapping):
            raise _fail(norm, f"charges[{i}]", "收费项格式不对")
        code = line.get("code")
        fee = fees.get(code) if isinstance(code, str) else None
        if fee is None:
            raise _fail(norm, f"charges[{i}].code", f"收费标准中没有 {code!r}")
        qty = line.get("qty", 1)
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= 20:
            raise _fail(norm, f"charges[{i}].qty", "数量须为 1 到 20 的整数")
        unit = fee.amount
        card = line.get("warranty_card_amount")
        if card is not None:
            if isinstance(card, bool) or not isinstance(card, int | float) or card < 0:
                raise _fail(norm, f"charges[{i}].warranty_card_amount", "须为非负数")
            unit = min(unit, float(card))
        why = ""
        if warranty == "in" and fee.category in ("labour", "part"):
            unit, why = 0.0, "保修期内免费"
        recent = (
            facts.installed_on is not None
            and facts.today is not None
            and (facts.today - facts.installed_on).days <= free_adjust_days
        )
        if fee.category == "adjustment" and recent:
            unit, why = 0.0, f"装机 {free_adjust_days} 天内免费调整"
        lines.append(
            {"code": fee.code, "name": fee.name, "qty": qty, "unit": unit, "free_because": why}
        )
    return lines, round(sum(x["unit"] * x["qty"] for x in lines), 2)


def charges_explained(
    ev: Mapping[str, Any],
    facts: OrderFacts,
    params: Mapping[str, Any],
    *,
    fees: Mapping[str, Fee],
) -> Judged:
    """VIS-08: the service boundary explained; a charge only with the tariff shown, consent
    recorded and a receipt or invoice to follow (a charge without consent is refused)."""
    norm = "VIS-08"
    explained = _bool(ev, "boundary_explained", norm)
    warranty = ev.get("warranty", "none")
    if warranty not in ("in", "out", "none"):
        raise _fail(norm, "warranty", "保修状态须为保内、保外或无")
    charges = ev.get("charges", [])
    if not isinstance(charges, list) or len(charges) > 20:
        raise _fail(norm, "charges", "收费项须为列表（最多 20 项）")
    lines, total = fee_total(
        charges,
        fees,
        facts,
        warranty=str(warranty),
        free_adjust_days=int(params.get("free_adjust_days", 30)),
    )
    consent = bool(ev.get("consent", False))
    receipt = ev.get("receipt", "")
    if total > 0:
        if not consent:
            raise ValidationFailed(
                "step.charge_without_consent",
                "VIS-08：收费须先出示收费标准并征得客户同意",
                field="evidence.consent",
                rule=norm,
            )
        if receipt not in ("invoice", "receipt"):
            raise _fail(norm, "receipt", "收费须开具发票或收据")
    out = Judged(
        {
            "boundary_explained": explained,
            "warranty": warranty,
            "charges": lines,
            "total": total,
            "consent": consent,
            "receipt": receipt if total > 0 else "",
        }
    )
    if not explained:
        out.notes.append(reason("vis08.boundary_not_explained"))
        out.blocks = True
    return out


def data_risk(ev: Mapping[str, Any], facts: OrderFacts, params: Mapping[str, Any]) -> Judged:
    """VIS-09: the risk explained, backup done or declined, and the customer's signature
    (the step cannot be recorded without it: ``signature_photo_id`` from the signature pad)."""
    norm = "VIS-09"
    explained = _bool(ev, "risk_explained", norm)
    backup = ev.get("backup")
    if backup not in ("done", "declined"):
        raise _fail(norm, "backup", "请记录客户已备份或拒绝备份")
    signature = ev.get("signature_photo_id")
    if isinstance(signature, bool) or not isinstance(signature, int):
        raise _fail(norm, "signature", "须请客户签字确认数据风险")
    out = Judged({"risk_explained": explained, "backup": backup, "signature_photo_id": signature})
    if not explained:
        out.notes.append(reason("vis09.risk_not_told"))
        out.blocks = True
    return out


def modem_label(ev: Mapping[str, Any], facts: OrderFacts, params: Mapping[str, Any]) -> Judged:
    """VIS-13: the label's fields (broadband number, login, initial password) and its photo;
    kept masked: the password is never stored."""
    norm = "VIS-13"
    number = _text(ev, "broadband_number", norm, max_length=40)
    if not BROADBAND_NUMBER.match(number):
        raise _fail(norm, "broadband_number", "宽带编号格式不对")
    user = _text(ev, "user_name", norm, max_length=60)
    password = _text(ev, "initial_password", norm, max_length=40)
    photo = ev.get("photo_id")
    if photo is not None and (isinstance(photo, bool) or not isinstance(photo, int)):
        raise _fail(norm, "photo_id", "照片编号须为整数")
    out = Judged(
        {
            "broadband_number": mask_middle(number),
            "user_name": mask_middle(user),
            "initial_password": "*" * len(password),
            "photo_id": photo,
        }
    )
    if photo is None:
        out.notes.append(reason("vis13.no_label_photo"))
    return out


def line_rate_mbps(plan_mbps: int | None) -> float:
    return XGPON_LINE_MBPS if plan_mbps and plan_mbps > GE_LINE_MBPS else GE_LINE_MBPS


def tested_together(ev: Mapping[str, Any], facts: OrderFacts, params: Mapping[str, Any]) -> Judged:
    """VIS-14: broadband's three ones and a speed at least ``speed_test_min_pct_of_plan`` of
    the subscribed rate; other services a working end-to-end test. A failed test blocks
    completion: re-repair, or bring the device back."""
    norm = "VIS-14"
    tried = _bool(ev, "customer_tried", norm)
    if facts.service_type != "broadband":
        ok = _bool(ev, "service_test", norm)
        out = Judged({"service_test": ok, "customer_tried": tried})
        if not ok:
            out.notes.append(reason("vis14.service_test_failed"))
            out.blocks = True
    else:
        ones = {name: _bool(ev, name, norm) for name in ("web_page", "download", "email")}
        speed = _number(ev, "speed_mbps", norm)
        line = line_rate_mbps(facts.plan_mbps)
        if speed < 0 or speed > line:
            raise _fail(norm, "speed_mbps", f"测速须在 0 到线路速率 {line:.0f} Mbps 之间")
        out = Judged({**ones, "speed_mbps": speed, "customer_tried": tried})
        out.notes = [
            reason("vis14.three_ones_failed", three_ones_test=k) for k, ok in ones.items() if not ok
        ]
        if facts.plan_mbps:
            need = facts.plan_mbps * float(params.get("speed_test_min_pct_of_plan", 100)) / 100
            out.evidence["plan_mbps"] = facts.plan_mbps
            if speed < need:
                out.notes.append(
                    reason("vis14.speed_low", speed=speed, plan_mbps=facts.plan_mbps, need=need)
                )
        out.blocks = bool(out.notes)
    if not tried:
        out.notes.append(reason("vis14.customer_not_tried"))
    return out


def work_sheet(ev: Mapping[str, Any], facts: OrderFacts, params: Mapping[str, Any]) -> Judged:
    """VIS-17: the work sheet on the spot (materials, technical parameters, cause, measures)
    and "what else can I do?"; the order cannot be submitted without the fields."""
    norm = "VIS-17"
    materials = ev.get("materials", [])
    if not isinstance(materials, list) or len(materials) > 30:
        raise _fail(norm, "materials", "材料须为列表（最多 30 项）")
    used: list[dict[str, Any]] = []
    for i, line in enumerate(materials):
        if not isinstance(line, Mapping):
            raise _fail(norm, f"materials[{i}]", "材料格式不对")
        code = _text(line, "code", norm, max_length=40)
        qty = line.get("qty")
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= 500:
            raise _fail(norm, f"materials[{i}].qty", "数量须为 1 到 500 的整数")
        used.append({"code": code, "qty": qty})
    technical = ev.get("technical_parameters")
    if not isinstance(technical, Mapping) or not technical:
        raise _fail(norm, "technical_parameters", "请填写技术参数")
    tech = {str(k)[:40]: str(v)[:100] for k, v in list(technical.items())[:20]}
    out = Judged(
        {
            "materials": used,
            "technical_parameters": tech,
            "cause": _text(ev, "cause", norm),
            "measure": _text(ev, "measure", norm),
            "asked_what_else": _bool(ev, "asked_what_else", norm),
        }
    )
    if not out.evidence["asked_what_else"]:
        out.notes.append(reason("vis17.not_asked_what_else"))
    return out


Check = Callable[[Mapping[str, Any], OrderFacts, Mapping[str, Any]], Judged]
CHECKS: dict[str, Check] = {
    "self_check": self_check,
    "data_risk": data_risk,
    "modem_label": modem_label,
    "test_together": tested_together,
    "work_sheet": work_sheet,
}


DOOR_EVENTS = ("knock", "call", "neighbour")
# A knock logged a little late on the phone is still a knock on time.
DOOR_TOLERANCE_S = 15


def door_protocol(
    events: Sequence[tuple[str, dt.datetime]],
    note: Mapping[str, Any],
    params: Mapping[str, Any],
) -> Judged:
    """VIS-03: knock, repeat every ``repeat_seconds``, call after ``call_after_minutes``, ask a
    neighbour, leave the note (name, arrival and departure time, phone). ``events`` are
    (kind, time) in the order tapped; the note's times are datetimes."""
    norm = "VIS-03"
    if not events:
        raise _fail(norm, "events", "请记录敲门、致电、询问邻居的时间")
    for i, (kind, _) in enumerate(events):
        if kind not in DOOR_EVENTS:
            raise _fail(norm, f"events[{i}].kind", "须为 knock、call 或 neighbour")
    times = [at for _, at in events]
    if any(b < a for a, b in itertools.pairwise(times)):
        raise _fail(norm, "events", "时间须按先后顺序")
    name = _text(note, "name", norm, max_length=40)
    phone = _text(note, "phone", norm, max_length=20)
    left = note.get("left")
    if not isinstance(left, dt.datetime):
        raise _fail(norm, "note.left", "请填写离开时间")
    if left < times[-1]:
        raise _fail(norm, "note.left", "离开时间须晚于最后一次记录")
    repeat = float(params.get("repeat_seconds", 30))
    wait = float(params.get("call_after_minutes", 3))
    knocks = [at for kind, at in events if kind == "knock"]
    calls = [at for kind, at in events if kind == "call"]
    neighbours = [at for kind, at in events if kind == "neighbour"]
    out = Judged(
        {
            "events": [{"kind": k, "at": at.isoformat()} for k, at in events],
            "note": {"name": name, "phone": mask_middle(phone), "left": left.isoformat()},
        }
    )
    if not knocks or events[0][0] != "knock":
        out.notes.append(reason("vis03.no_first_knock"))
        return out
    until = calls[0] if calls else left
    before_call = [at for at in knocks if at <= until]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(before_call)]
    if any(g > repeat + DOOR_TOLERANCE_S for g in gaps) or (
        (until - before_call[-1]).total_seconds() > repeat + DOOR_TOLERANCE_S
    ):
        out.notes.append(reason("vis03.knock_not_repeated", repeat=repeat))
    if not calls:
        out.notes.append(reason("vis03.no_call"))
    elif (calls[0] - knocks[0]).total_seconds() < wait * 60:
        out.notes.append(reason("vis03.called_too_soon", wait=wait))
    if calls and not any(at >= calls[0] for at in neighbours):
        out.notes.append(reason("vis03.no_neighbour"))
    return out
