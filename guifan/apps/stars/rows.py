"""CRM rows for star levels: parsed and checked whole before anything is written.

A row is one customer in one month: ``customer_ref,name,phone,cert_type,month,growth_value,
products[,crm_level]`` where ``products`` is ``mobile=2;broadband=1`` (types from STAR-01:
mobile, fixed, broadband, itv, and enterprise_broadband) and ``crm_level`` the CRM's own
level (optional, 0–7). Every bad row is named with its line and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guifan.norms.stars import PRODUCT_TYPES
from guifan.textinput import text_problem

COLUMNS = ("customer_ref", "name", "phone", "cert_type", "month", "growth_value", "products")
OPTIONAL = ("crm_level",)
PRODUCT_KEYS = (*PRODUCT_TYPES, "enterprise_broadband")
CERT_TYPES = {
    "personal": "personal",
    "个人": "personal",
    "enterprise": "enterprise",
    "政企": "enterprise",
}


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"第 {self.line} 行 {self.field}：{self.message}"


@dataclass(frozen=True, slots=True)
class StarRow:
    line: int
    ref: str
    name: str
    phone: str
    cert_type: str
    month: dt.date
    growth: int
    products: dict[str, int] = field(default_factory=dict)
    crm_level: int | None = None


def _int(text: str, line: int, name: str, errors: list[RowError], *, low: int = 0) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        errors.append(RowError(line, name, f"应为整数，收到 {text!r}"))
        return None
    if value < low:
        errors.append(RowError(line, name, f"不能小于 {low}"))
        return None
    return value


def _products(text: str, line: int, errors: list[RowError]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        kind, _, count = part.partition("=")
        kind = kind.strip()
        if kind not in PRODUCT_KEYS:
            errors.append(
                RowError(
                    line, "products", f"未知产品类型 {kind!r}（可用：{'、'.join(PRODUCT_KEYS)}）"
                )
            )
            continue
        if kind in out:
            errors.append(RowError(line, "products", f"产品类型 {kind} 重复"))
            continue
        n = _int(count, line, f"products.{kind}", errors)
        if n is not None:
            out[kind] = n
    return out


def _row(raw: Mapping[str, Any], line: int, errors: list[RowError]) -> StarRow | None:
    before = len(errors)
    text = {
        k: str(raw.get(k) if raw.get(k) is not None else "").strip() for k in (*COLUMNS, *OPTIONAL)
    }
    for name, value in text.items():
        problem = text_problem(value, 200)
        if problem is not None:
            errors.append(RowError(line, name, problem))
    if len(errors) > before:
        return None
    for name in ("customer_ref", "name", "phone", "month", "growth_value"):
        if not text[name]:
            errors.append(RowError(line, name, "必填"))
    if len(text["customer_ref"]) > 40:
        errors.append(RowError(line, "customer_ref", "不超过 40 个字符"))
    digits = text["phone"].replace("-", "")
    if text["phone"] and not (digits.isascii() and digits.isdigit() and 7 <= len(digits) <= 15):
        errors.append(RowError(line, "phone", "电话号码格式不正确"))
    cert = CERT_TYPES.get(text["cert_type"] or "personal")
    if cert is None:
        errors.append(
            RowError(line, "cert_type", "证件类型须为 personal（个人）或 enterprise（政企）")
        )
    month: dt.date | None = None
    if text["month"]:
        try:
            month = dt.date.fromisoformat(f"{text['month']}-01")
        except ValueError:
            errors.append(RowError(line, "month", f"月份须为 YYYY-MM，收到 {text['month']!r}"))
    growth = (
        _int(text["growth_value"], line, "growth_value", errors) if text["growth_value"] else None
    )
    products = _products(text["products"], line, errors)
    crm_level = None
    if text["crm_level"]:
        crm_level = _int(text["crm_level"], line, "crm_level", errors)
        if crm_level is not None and crm_level > 7:
            errors.append(RowError(line, "crm_level", "星级须在 0–7 之间"))
            crm_level = None
    if len(errors) > before or month is None or growth is None or cert is None:
        return None
    return StarRow(
        line, text["customer_ref"], text["name"], digits, cert, month, growth, products, crm_level
    )


def rows_check(
    records: Iterable[Mapping[str, Any]], *, first_line: int = 1
) -> tuple[list[StarRow], list[RowError]]:
    """Every row parsed, or every error found (with its line); duplicates are errors."""
    rows: list[StarRow] = []
    errors: list[RowError] = []
    seen_month: dict[tuple[str, dt.date], int] = {}
    who: dict[str, tuple[str, str, str, int]] = {}
    for line, raw in enumerate(records, start=first_line):
        row = _row(raw, line, errors)
        if row is None:
            continue
        first = seen_month.get((row.ref, row.month))
        if first is not None:
            errors.append(
                RowError(
                    line, "customer_ref", f"客户 {row.ref} 的 {row.month:%Y-%m} 与第 {first} 行重复"
                )
            )
            continue
        seen_month[(row.ref, row.month)] = line
        known = who.setdefault(row.ref, (row.name, row.phone, row.cert_type, line))
        if known[:3] != (row.name, row.phone, row.cert_type):
            errors.append(
                RowError(
                    line,
                    "customer_ref",
                    f"客户 {row.ref} 与第 {known[3]} 行的姓名、电话或证件不一致",
                )
            )
            continue
        rows.append(row)
    return rows, errors


def csv_records(text: str) -> tuple[list[dict[str, str]], list[RowError]]:
    """The CSV's rows as dicts (line 1 is the header; data starts on line 2)."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, c, "表头缺少该列") for c in missing]
    unknown = [c for c in header if c not in COLUMNS and c not in OPTIONAL]
    if unknown:
        return [], [RowError(1, c, "未知列") for c in unknown]
    return list(reader), []
