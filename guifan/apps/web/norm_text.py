"""A norm's text in the page's language: Chinese scope, rule and parameter labels under Chinese,
the English catalog text (with parameter identifiers and notes) under English.

The Chinese texts come from the catalog (``scripts/norms_zh.toml``); a Chinese page shows no
parameter identifier and no internal note, and values read as Chinese: lists joined with 、,
booleans 是/否, numbers with the unit the parameter's name gives (分钟, 小时, 天 …).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from guifan.norms import Norm, NormSet, Param

# The unit a parameter's name gives its number: late_call_lead_minutes → 分钟.
UNITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(^|_)minutes(_|$)"), " 分钟"),
    (re.compile(r"(^|_)hours(_|$)"), " 小时"),
    (re.compile(r"(^|_)days(_|$)"), " 天"),
    (re.compile(r"(^|_)seconds(_|$)"), " 秒"),
    (re.compile(r"(^|_)months(_|$)"), " 个月"),
    (re.compile(r"(^|_)pct(_|$)"), "%"),
    (re.compile(r"(^|_)mm(_|$)"), " 毫米"),
    (re.compile(r"(^|_)db(_|$)"), " 分贝"),
    (re.compile(r"_c$"), " ℃"),
)


@dataclass(frozen=True, slots=True)
class ParamLine:
    label: str
    value: str
    name: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class NormText:
    chinese: bool
    title: str
    other_title: str
    applies_to: str
    rule: str
    params: tuple[ParamLine, ...]


def chinese_page() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def norm_title(norm: Norm) -> str:
    """The norm's title in the page's language."""
    return norm.title_zh if chinese_page() else norm.title


def _unit(name: str) -> str:
    for pattern, unit in UNITS:
        if pattern.search(name):
            return unit
    return ""


def value_zh(name: str, value: Any) -> str:
    """A parameter value as Chinese readers read it (without the catalog's value_zh)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    unit = _unit(name)
    if isinstance(value, int | float):
        return f"{value:g}{unit}"
    if isinstance(value, list):
        if unit and len(value) == 2 and all(isinstance(v, int | float) for v in value):
            return f"{value[0]:g}–{value[1]:g}{unit}"
        return "、".join(value_zh(name, v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{value_zh(name, v)}" for k, v in value.items())
    return str(value)


def param_line_zh(norm: Norm, p: Param, value: Any) -> ParamLine:
    shown = p.value_zh if p.value_zh and value == p.default else value_zh(p.name, value)
    return ParamLine(label=p.label_zh or p.name, value=shown)


def param_line_en(p: Param, value: Any) -> ParamLine:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return ParamLine(label=p.name, value=shown, name=p.name, note=p.note)


def norm_text(norm: Norm, norms: NormSet) -> NormText:
    """The norm's scope, rule and parameters in force, in the page's language."""
    zh = chinese_page()
    lines = []
    for p in norm.params:
        value = norms.param(norm.id, p.name)
        lines.append(param_line_zh(norm, p, value) if zh else param_line_en(p, value))
    return NormText(
        chinese=zh,
        title=norm.title_zh if zh else norm.title,
        other_title=norm.title if zh else norm.title_zh,
        applies_to=(norm.applies_to_zh or norm.applies_to) if zh else norm.applies_to,
        rule=(norm.rule_zh or norm.rule) if zh else norm.rule,
        params=tuple(lines),
    )
