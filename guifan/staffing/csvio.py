"""Read the ``guifan hall plan`` arrivals CSV (pure).

Columns ``start`` (HH:MM), ``minutes`` (interval length), ``class`` (``star67``, ``star5``,
``normal``), ``arrivals`` (expected arrivals in the interval) and ``service_min`` (mean service
minutes); other columns are ignored. Rows with the same ``start`` form one interval, in the
order in which each ``start`` first appears. Every error names the data row (counted from 1
after the header; a blank line counts as a row) and the field.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from guifan.errors import ValidationFailed
from guifan.staffing.policy import CLASSES

COLUMNS: tuple[str, ...] = ("start", "minutes", "class", "arrivals", "service_min")

_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True, slots=True)
class ClassRow:
    """One CSV data row: a class's expected arrivals and mean service in one interval."""

    row: int
    name: str
    arrivals: float
    service_min: float


@dataclass(frozen=True, slots=True)
class IntervalRows:
    """The rows sharing one ``start``; classes not listed have no arrivals."""

    start: str
    minutes: float
    rows: tuple[ClassRow, ...]


def input_error(row: int | None, field: str, message: str) -> ValidationFailed:
    """The error for a bad CSV value; its message names the data row and the field.

    Parameters
    ----------
    row
        Data row counted from 1 after the header, or ``None`` for the header itself.
    field
        The column at fault.
    message
        What is wrong.

    Returns
    -------
    ValidationFailed
        Code ``hall_plan.bad_input``, ``field`` set, the row in ``extra["row"]``.
    """
    where = "header" if row is None else f"row {row}"
    return ValidationFailed(
        "hall_plan.bad_input", f"{where}, field {field}: {message}", field=field, extra={"row": row}
    )


def intervals_read(lines: Iterable[str]) -> tuple[IntervalRows, ...]:
    """Parse and check the arrivals CSV.

    Parameters
    ----------
    lines
        The CSV text as lines (an open text file works).

    Returns
    -------
    tuple of IntervalRows
        One per distinct ``start``.

    Raises
    ------
    ValidationFailed
        On a missing column, a bad time, a non-positive interval length, an unknown or
        repeated class, non-numeric or negative arrivals, a non-positive service time, an
        interval length that differs between rows of one ``start``, or no data rows.
    """
    reader = csv.DictReader(lines)
    header = [name.strip() for name in reader.fieldnames or []]
    for column in COLUMNS:
        if column not in header:
            raise input_error(
                None, column, f"missing column {column!r} (need {', '.join(COLUMNS)})"
            )
    reader.fieldnames = header
    order: list[str] = []
    minutes: dict[str, tuple[float, int]] = {}
    rows: dict[str, dict[str, ClassRow]] = {}
    for record in reader:
        row = reader.line_num - 1
        start = _time(record.get("start"), row)
        length = _number(record.get("minutes"), row, "minutes")
        if length <= 0:
            raise input_error(
                row, "minutes", f"interval length must be > 0 minutes, got {length:g}"
            )
        name = (record.get("class") or "").strip()
        if name not in CLASSES:
            raise input_error(row, "class", f"unknown class {name!r} (known: {', '.join(CLASSES)})")
        arrivals = _number(record.get("arrivals"), row, "arrivals")
        if arrivals < 0:
            raise input_error(row, "arrivals", f"arrivals must be >= 0, got {arrivals:g}")
        service = _number(record.get("service_min"), row, "service_min")
        if service <= 0:
            raise input_error(row, "service_min", f"service_min must be > 0, got {service:g}")
        if start not in minutes:
            order.append(start)
            minutes[start] = (length, row)
            rows[start] = {}
        elif minutes[start][0] != length:
            first = minutes[start]
            raise input_error(
                row, "minutes", f"{length:g} differs from {first[0]:g} in row {first[1]} ({start})"
            )
        if name in rows[start]:
            raise input_error(
                row, "class", f"{name} repeated for {start} (first in row {rows[start][name].row})"
            )
        rows[start][name] = ClassRow(row, name, arrivals, service)
    if not order:
        raise input_error(None, "start", "no data rows")
    return tuple(IntervalRows(s, minutes[s][0], tuple(rows[s].values())) for s in order)


def _time(raw: str | None, row: int) -> str:
    text = (raw or "").strip()
    match = _TIME.fullmatch(text)
    if match is None:
        raise input_error(row, "start", f"{text!r} is not a time HH:MM (00:00-23:59)")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _number(raw: str | None, row: int, field: str) -> float:
    text = (raw or "").strip()
    try:
        value = float(text)
    except ValueError:
        raise input_error(row, field, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise input_error(row, field, f"{text!r} is not a finite number")
    return value
