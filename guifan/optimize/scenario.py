"""Read a ``guifan dispatch solve`` scenario (JSON) into a :class:`Problem`.

Every schema error names the JSON path of the bad field (``jobs[3].window[1]``).
"""

from __future__ import annotations

import re
from typing import Any

from guifan.errors import ValidationFailed
from guifan.optimize.problem import Break, Job, Problem, Technician, Tier, TravelMatrix

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
SKILL = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
ID = re.compile(r"^\S{1,64}$")


class ScenarioError(ValidationFailed):
    """A scenario that fails the schema; ``field`` is the JSON path of the bad value."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__("dispatch.bad_scenario", f"{path}: {message}", field=path)


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(path, "must be an object")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ScenarioError(path, "must be a list")
    return value


def _get(obj: dict[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        raise ScenarioError(f"{path}.{key}" if path else key, "is required")
    return obj[key]


def _str(value: Any, path: str, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ScenarioError(path, f"must be {what}, got {value!r}")
    return value


def _time(value: Any, path: str) -> int:
    text = _str(value, path, HHMM, "a time HH:MM")
    return int(text[:2]) * 60 + int(text[3:])


def _int(value: Any, path: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ScenarioError(path, f"must be a whole number >= {low}, got {value!r}")
    return value


def _span(value: Any, path: str, *, inverted_ok: bool = False) -> tuple[int, int]:
    items = _list(value, path)
    if len(items) != 2:
        raise ScenarioError(path, f"must be [start, end], got {len(items)} values")
    a, b = _time(items[0], f"{path}[0]"), _time(items[1], f"{path}[1]")
    if b < a and not inverted_ok:
        raise ScenarioError(f"{path}[1]", f"end {items[1]} is before start {items[0]}")
    return a, b


def _location(value: Any, path: str, travel: TravelMatrix) -> str:
    loc = _str(value, path, ID, "a location id")
    if loc not in travel.index:
        raise ScenarioError(path, f"location {loc!r} is missing from travel.locations")
    return loc


def _break(value: Any, path: str) -> Break:
    obj = _obj(value, path)
    earliest = _time(_get(obj, "earliest", path), f"{path}.earliest")
    latest = _time(_get(obj, "latest", path), f"{path}.latest")
    if latest < earliest:
        raise ScenarioError(f"{path}.latest", "is before earliest")
    return Break(earliest, latest, _int(_get(obj, "minutes", path), f"{path}.minutes", 1))


def _technician(value: Any, path: str, travel: TravelMatrix) -> Technician:
    obj = _obj(value, path)
    skills = _list(_get(obj, "skills", path), f"{path}.skills")
    return Technician(
        id=_str(_get(obj, "id", path), f"{path}.id", ID, "an id without spaces"),
        start=_location(_get(obj, "start", path), f"{path}.start", travel),
        end=_location(_get(obj, "end", path), f"{path}.end", travel),
        shift=_span(_get(obj, "shift", path), f"{path}.shift"),
        skills=frozenset(
            _str(s, f"{path}.skills[{i}]", SKILL, "a skill code like bb_install")
            for i, s in enumerate(skills)
        ),
        max_jobs=_int(obj["max_jobs"], f"{path}.max_jobs") if "max_jobs" in obj else None,
        break_=_break(obj["break"], f"{path}.break") if obj.get("break") is not None else None,
    )


def _job(value: Any, path: str, travel: TravelMatrix) -> Job:
    obj = _obj(value, path)
    tier = _get(obj, "tier", path)
    if tier not in {t.value for t in Tier}:
        raise ScenarioError(
            f"{path}.tier", f"must be one of diamond|gold|silver|normal, got {tier!r}"
        )
    pinned = obj.get("technician")
    return Job(
        id=_str(_get(obj, "id", path), f"{path}.id", ID, "an id without spaces"),
        location=_location(_get(obj, "location", path), f"{path}.location", travel),
        # A job window ending before it starts is data, not a schema error: the job is
        # listed as unassigned with a reason (CONTRACTS.md, issue 16).
        window=_span(_get(obj, "window", path), f"{path}.window", inverted_ok=True),
        service_min=_int(_get(obj, "service_min", path), f"{path}.service_min"),
        skill=_str(
            _get(obj, "skill", path), f"{path}.skill", SKILL, "a skill code like bb_install"
        ),
        tier=Tier(tier),
        technician=None
        if pinned is None
        else _str(pinned, f"{path}.technician", ID, "a technician id"),
    )


def _matrix(value: Any, path: str, n: int) -> Any:
    import numpy as np

    rows = _list(value, path)
    if len(rows) != n:
        raise ScenarioError(path, f"must have {n} rows (one per location), got {len(rows)}")
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != n:
            got = len(row) if isinstance(row, list) else type(row).__name__
            raise ScenarioError(
                f"{path}[{i}]", f"must be a list of {n} numbers (square), got {got}"
            )
    arr = np.asarray(rows)
    if arr.dtype.kind not in "iuf":
        _bad_cell(rows, path)
    arr = arr.astype(np.float64)
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ScenarioError(
            f"{path}[{i}][{j}]", f"must be a finite number >= 0, got {rows[i][j]!r}"
        )
    return arr


def _bad_cell(rows: list[list[Any]], path: str) -> None:
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise ScenarioError(f"{path}[{i}][{j}]", f"must be a number, got {v!r}")


def _travel(value: Any) -> TravelMatrix:
    obj = _obj(value, "travel")
    locs = _list(_get(obj, "locations", "travel"), "travel.locations")
    names = tuple(
        _str(v, f"travel.locations[{i}]", ID, "a location id") for i, v in enumerate(locs)
    )
    seen: set[str] = set()
    for i, loc in enumerate(names):
        if loc in seen:
            raise ScenarioError(f"travel.locations[{i}]", f"duplicate location {loc!r}")
        seen.add(loc)
    n = len(names)
    minutes = _matrix(_get(obj, "minutes", "travel"), "travel.minutes", n)
    km = _matrix(_get(obj, "km", "travel"), "travel.km", n)
    return TravelMatrix(names, minutes, km)


def _unique(ids: list[str], path: str) -> None:
    seen: set[str] = set()
    for i, v in enumerate(ids):
        if v in seen:
            raise ScenarioError(f"{path}[{i}].id", f"duplicate id {v!r}")
        seen.add(v)


def parse_scenario(data: Any) -> Problem:
    """Validate decoded scenario JSON and build the :class:`Problem`.

    Raises
    ------
    ScenarioError
        With ``field`` set to the JSON path of the first bad value.
    """
    obj = _obj(data, "$")
    date = _str(_get(obj, "date", ""), "date", DATE, "a date YYYY-MM-DD")
    travel = _travel(_get(obj, "travel", ""))
    techs_raw = _list(_get(obj, "technicians", ""), "technicians")
    jobs_raw = _list(_get(obj, "jobs", ""), "jobs")
    techs = tuple(_technician(t, f"technicians[{i}]", travel) for i, t in enumerate(techs_raw))
    jobs = tuple(_job(j, f"jobs[{i}]", travel) for i, j in enumerate(jobs_raw))
    _unique([t.id for t in techs], "technicians")
    _unique([j.id for j in jobs], "jobs")
    tech_ids = {t.id for t in techs}
    for i, job in enumerate(jobs):
        if job.technician is not None and job.technician not in tech_ids:
            raise ScenarioError(f"jobs[{i}].technician", f"unknown technician {job.technician!r}")
    return Problem(date=date, technicians=techs, jobs=jobs, travel=travel)
