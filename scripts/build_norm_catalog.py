"""Generate guifan/norms/catalog.json from the shared NORMS.md.

Run: .venv/bin/python scripts/build_norm_catalog.py ../shared/NORMS.md
The catalog ships inside the package; this script is how it was made. The Chinese texts
(scope, rule, parameter labels and readable values) come from scripts/norms_zh.toml; the build
fails naming the norm and field when one is missing, unknown or uses half-width punctuation.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guifan.norms.punct import fullwidth, half_width_report  # noqa: E402

ZH = Path(__file__).resolve().parent / "norms_zh.toml"
ASCII_WORD = re.compile(r"[A-Za-z]")

HEAD = re.compile(r"^### ([A-Z]+-\d+) · (.+?) · (.+)$")
PARAM = re.compile(r"\*\*(\w+)\*\* = (.*?)(?=; \*\*\w+\*\* = |$)")
DICT_KEY = re.compile(r"([{,]\s*)([A-Za-z_][\w]*)\s*:")
RANGE = re.compile(r"^(\d+)\s*[–-]\s*(\d+)$")

# Values whose prose default needs a machine-readable form the rules can use.
TYPED_OVERRIDES: dict[tuple[str, str], Any] = {
    ("APT-04", "reconfirm_deadline"): "09:00",
    ("ORD-08", "repair_deadline"): "end_of_day",
    ("ORD-08", "install_deadline"): "end_of_day",
    ("ORD-08", "late_compensation"): True,
    ("QA-07", "return_deadline"): "end_of_day",
    ("HAL-09", "checklist"): "hall_inspection_checklist",
    ("LNG-02", "phrase_list"): "forbidden_phrases",
    ("VIS-11", "photo_of_finished_wiring"): "optional",
}


# HAL-12: which businesses each hall level handles (a product default; each level a list).
_COMMUNITY = ["缴费", "宽带续费", "补换卡", "套餐变更", "积分兑换"]
_STANDARD = [*_COMMUNITY, "新装宽带", "新装移动电话", "携号转网"]
_FLAGSHIP = [*_STANDARD, "过户", "销户", "靓号办理", "国际漫游开通"]
HALL_CAPABILITIES = {
    "0": [*_FLAGSHIP, "政企专线开通", "集团账户变更"],
    "1": _FLAGSHIP,
    "2": _STANDARD,
    "3": _COMMUNITY,
}

# Product parameters the seeds leave open, added as editable rows beside the seed-derived ones:
# (name, default, note) or (name, default, note, text) when the text is not the plain default.
EXTRA_PARAMS: dict[str, list[tuple[Any, ...]]] = {
    "QA-04": [("warn_minutes_before", 120, "product default: remind to escalate this long before")],
    "APT-03": [("max_lead_days", 90, "product default: the farthest day ahead a visit is booked")],
    "APT-04": [("remind_at", "08:00", "product default: reminder to the technician")],
    # Issue 16, point 6 (live ETA, ADR 0034): the technician's shared position and the
    # customer's "last mile" message.
    "APT-07": [
        (
            "last_mile_minutes",
            10,
            "product default: the customer's link and one SMS say the technician is this many "
            "minutes away by road",
        ),
        (
            "position_interval_seconds",
            60,
            "product default: how often the phone reports the technician's position while the "
            "technician shares it during the shift",
        ),
        (
            "position_max_speed_kmh",
            150,
            "product default: a report implying a faster move since the previous one (beyond "
            "both fixes' accuracy) is refused as impossible",
        ),
    ],
    "APT-02": [
        (
            "star_to_field_tier",
            {"7": "diamond", "6": "gold", "5": "silver"},
            "(seed 004 groups the levels 7 (its own on-site entitlements), 6–7 (8-minute hall "
            "wait) and 5 (the lowest priority level); seed 001 has four field tiers: 7 diamond, "
            "6 gold, 5 silver, the rest normal (product default))",
        )
    ],
    "HAL-02": [
        (
            "appointment_checkin_early_minutes",
            30,
            "product default: an appointment checks in at most this long before its slot",
        ),
        (
            "appointment_checkin_late_minutes",
            10,
            "product default: checked in up to this long after the slot, it keeps the slot's place",
        ),
        (
            "appointment_walk_in_minutes",
            60,
            "product default: later, up to this long after the slot, it becomes a walk-in; "
            "after that it is refused and the booking is a no-show",
        ),
        (
            "appointment_max_days_ahead",
            14,
            "product default: the farthest day ahead a hall appointment is booked",
        ),
        (
            "mobile_notify_ahead",
            3,
            "product default: a mobile ticket's holder is texted once when this many are ahead",
        ),
    ],
    "HAL-03": [
        (
            "action_minutes",
            15,
            "product default: the duty manager acts within this after the alert",
        ),
        ("monitor_minutes", 5, "product default: how often the queue is checked"),
    ],
    "HAL-12": [
        (
            "capabilities",
            HALL_CAPABILITIES,
            "product default: the businesses each hall level handles (0 the city's central hall "
            "with enterprise business, 1 flagship, 2 standard, 3 community); seed 004 names "
            "受理權限 but gives no table",
        ),
        (
            "typical_service_minutes",
            8,
            "product default: the typical minutes of one service, for the wait now at a hall "
            "(waiting × this ÷ open counters)",
        ),
    ],
    "STF-04": [
        (
            "training_enforced",
            False,
            "product default: off until every staff member's training is on record; "
            "then a missing course blocks dispatch and hall posting",
        ),
        (
            "expiring_days",
            30,
            "product default: certificates expiring within this many days are listed",
        ),
    ],
    "QA-08": [
        (
            "dispute_window_hours",
            72,
            "(product default; issue 14 evaluators: the evaluated person may dispute an "
            "evaluation within this many hours)",
            "72 (product default: the seeds name no appeal window for an evaluation; "
            "the quality centre sets it)",
        ),
        ("morning_meeting_at", "08:00", "product default: the morning meeting's local time"),
        ("action_due_days", 7, "product default: days a corrective action or coaching is given"),
    ],
    "QA-02": [
        (
            "recontact_hours",
            24,
            "product default: re-contact an unhappy customer at least this often until satisfied",
        ),
        (
            "escalate_team_after",
            1,
            "product default: missed re-contacts before the case goes to the team leader",
        ),
        (
            "escalate_centre_after",
            3,
            "product default: missed re-contacts before the case goes to the quality centre",
        ),
        (
            "close_within_hours",
            72,
            "product default: kept when the customer confirms satisfaction within this",
        ),
        (
            "unsatisfied_max_score",
            2,
            "product default: a hall rating (1-5) at or below this is an unsatisfied rating",
        ),
    ],
    "QA-03": [
        (
            "callback_hours",
            24,
            "product default: the call centre calls the customer back after a complaint",
        ),
        ("reply_within_hours", 24, "product default: the reply promised when none is given"),
    ],
    "QA-05": [
        (
            "report_within_minutes",
            30,
            "product default: 'immediately' read as within this of the visit's end",
        ),
    ],
    "QA-06": [("audit_hours", 72, "product default: a sampled closure is called within this")],
    "STAR-01": [
        (
            "growth_thresholds",
            {"1": 1, "2": 600, "3": 1200, "4": 2400, "5": 3600, "6": 6000, "7": 12000},
            "(product defaults: seed 004 names the growth value but gives no thresholds)",
            "{1: 1, 2: 600, 3: 1200, 4: 2400, 5: 3600, 6: 6000, 7: 12000} "
            "(product defaults: seed 004 names the growth value but gives no thresholds)",
        )
    ],
    "STAR-02": [("free_sim_min_level", 5, "seed 004: 5-7星級用戶一年可以免費補2次卡")],
    # Issue 18, point 4 (ADR 0038): how long the append-only ledgers keep their rows before
    # the purge job drops whole months. System data leaves only through this audited flow.
    "SEC-02": [
        (
            "norm_check_retention_months",
            36,
            "product default: months of norm checks kept; older months are dropped whole "
            "(the daily roll-ups keep their counts)",
        ),
        (
            "order_event_retention_months",
            36,
            "product default: months of order events kept; older months are dropped whole",
        ),
        (
            "audit_retention_months",
            72,
            "product default: months of audit rows kept; the chain restarts after the last "
            "dropped row, named by an audited purge row",
        ),
    ],
}

# Inclusive bounds of numeric parameters; an edit outside them is refused (norm_parameter_set).
PARAM_RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("QA-06", "sample_rate_pct"): (0, 100),
    ("QA-02", "unsatisfied_max_score"): (1, 5),
    # At least 13 months: a month is always comparable with the same month a year before.
    ("SEC-02", "norm_check_retention_months"): (13, 240),
    ("SEC-02", "order_event_retention_months"): (13, 240),
    ("SEC-02", "audit_retention_months"): (13, 240),
}


def parse_value(raw: str) -> tuple[Any, str]:
    """Split a parameter's prose into (typed default, note)."""
    raw = raw.strip()
    for closer, opener in (("]", "["), ("}", "{")):
        if raw.startswith(opener):
            depth = 0
            for i, ch in enumerate(raw):
                depth += ch == opener
                depth -= ch == closer
                if depth == 0:
                    body, note = raw[: i + 1], raw[i + 1 :]
                    text = DICT_KEY.sub(r'\1"\2":', body) if opener == "{" else body
                    return json.loads(text), note.strip()
    m = re.match(r'^"([^"]*)"(.*)$', raw)
    if m:
        return m.group(1), m.group(2).strip()
    token, _, note = raw.partition(" ")
    if token in ("true", "false"):
        return token == "true", note.strip()
    if RANGE.match(token):
        lo, hi = RANGE.match(token).groups()  # type: ignore[union-attr]
        return [int(lo), int(hi)], note.strip()
    try:
        return int(token), note.strip()
    except ValueError:
        pass
    try:
        return float(token), note.strip()
    except ValueError:
        return raw, ""


def parse(md: str) -> list[dict[str, Any]]:
    norms: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    for line in md.splitlines():
        m = HEAD.match(line)
        if m:
            cur = {"id": m.group(1), "title_zh": m.group(2), "title": m.group(3), "params": []}
            norms.append(cur)
            continue
        if cur is None or not line.startswith("- "):
            continue
        key, _, rest = line[2:].partition(": ")
        if key == "mode":
            cur["mode"] = rest.strip()
        elif key == "applies to":
            cur["applies_to"] = rest.strip()
        elif key == "rule":
            cur["rule"] = rest.strip()
        elif key == "sources":
            cur["sources"] = rest.strip()
        elif key == "parameters" and rest.strip() != "none":
            for name, raw in PARAM.findall(rest):
                value, note = parse_value(raw)
                value = TYPED_OVERRIDES.get((cur["id"], name), value)
                cur["params"].append(
                    {"name": name, "default": value, "text": raw.strip(), "note": note}
                )
    for n in norms:
        for name, value, note, *text in EXTRA_PARAMS.get(n["id"], []):
            plain = json.dumps(value) if isinstance(value, bool) else str(value)
            n["params"].append(
                {"name": name, "default": value, "text": text[0] if text else plain, "note": note}
            )
        for p in n["params"]:
            if (n["id"], p["name"]) in PARAM_RANGES:
                p["range"] = list(PARAM_RANGES[(n["id"], p["name"])])
    return norms


class MissingChinese(ValueError):
    """A norm or parameter lacks its Chinese text (or the Chinese file names an unknown one)."""


def _english_inside(value: Any) -> bool:
    """Whether a default holds English words (keys included), so it needs a Chinese reading."""
    if isinstance(value, str):
        return bool(ASCII_WORD.search(value))
    if isinstance(value, list):
        return any(_english_inside(v) for v in value)
    if isinstance(value, dict):
        return any(_english_inside(k) or _english_inside(v) for k, v in value.items())
    return False


def _chinese(where: str, text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise MissingChinese(f"{where}: no Chinese text")
    bad = half_width_report(text)
    if bad:
        raise MissingChinese(f"{where}: half-width punctuation next to Chinese: {bad}")
    return text.strip()


def merge_zh(norms: list[dict[str, Any]], zh: dict[str, Any]) -> list[dict[str, Any]]:
    """Add applies_to_zh, rule_zh and each parameter's label_zh (and value_zh) from ``zh``.

    Raises MissingChinese naming the norm and field when a text is missing, when the Chinese file
    names a norm or parameter the catalog lacks, or when a text uses half-width punctuation.
    """
    ids = {n["id"] for n in norms}
    unknown = sorted(set(zh) - ids)
    if unknown:
        raise MissingChinese(f"{unknown[0]}: in the Chinese texts but not in the catalog")
    for n in norms:
        nid = n["id"]
        entry = zh.get(nid)
        if entry is None:
            raise MissingChinese(f"{nid}: no Chinese text (applies_to, rule, labels)")
        n["title_zh"] = fullwidth(n["title_zh"])
        n["applies_to_zh"] = _chinese(f"{nid} applies_to", entry.get("applies_to"))
        n["rule_zh"] = _chinese(f"{nid} rule", entry.get("rule"))
        labels = entry.get("labels", {})
        values = entry.get("values", {})
        names = {p["name"] for p in n["params"]}
        for table, given in (("labels", labels), ("values", values)):
            extra = sorted(set(given) - names)
            if extra:
                raise MissingChinese(f"{nid} {table}.{extra[0]}: no such parameter")
        for p in n["params"]:
            p["label_zh"] = _chinese(f"{nid} parameter {p['name']} label", labels.get(p["name"]))
            if p["name"] in values:
                p["value_zh"] = _chinese(f"{nid} parameter {p['name']} value", values[p["name"]])
            elif _english_inside(p["default"]):
                raise MissingChinese(
                    f"{nid} parameter {p['name']} value: the default "
                    f"{json.dumps(p['default'], ensure_ascii=False)} needs a Chinese reading"
                )
    return norms


def load_zh(path: Path = ZH) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def build(md: str, zh: dict[str, Any]) -> list[dict[str, Any]]:
    return merge_zh(parse(md), zh)


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/NORMS.md")
    try:
        norms = build(src.read_text(encoding="utf-8"), load_zh())
    except MissingChinese as exc:
        sys.exit(f"norm catalog not built: {exc} (edit {ZH.name})")
    out = ROOT / "guifan" / "norms" / "catalog.json"
    out.write_text(
        json.dumps({"norms": norms}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(norms)} norms -> {out}")


if __name__ == "__main__":
    main()
