"""Small dispatch scenarios built in code (a line of places, 10 minutes / 5 km apart)."""

from __future__ import annotations

import copy
from typing import Any


def line_travel(
    names: list[str], minutes_per_step: float = 10, km_per_step: float = 5
) -> dict[str, Any]:
    n = len(names)
    return {
        "locations": names,
        "minutes": [[abs(i - j) * minutes_per_step for j in range(n)] for i in range(n)],
        "km": [[abs(i - j) * km_per_step for j in range(n)] for i in range(n)],
    }


def tech(tid: str, skills: list[str], **extra: Any) -> dict[str, Any]:
    base = {"id": tid, "start": "L0", "end": "L0", "shift": ["08:30", "17:30"], "skills": skills}
    return base | extra


def job(jid: str, loc: str, window: list[str], **extra: Any) -> dict[str, Any]:
    base = {
        "id": jid,
        "location": loc,
        "window": window,
        "service_min": 60,
        "skill": "bb_install",
        "tier": "normal",
    }
    return base | extra


def scenario(
    techs: list[dict[str, Any]], jobs: list[dict[str, Any]], places: int = 6
) -> dict[str, Any]:
    return {
        "date": "2025-06-02",
        "technicians": techs,
        "jobs": jobs,
        "travel": line_travel([f"L{i}" for i in range(places)]),
    }


def day() -> dict[str, Any]:
    """Two technicians, six jobs, one lunch break, two skills."""
    brk = {"earliest": "11:30", "latest": "13:30", "minutes": 45}
    return scenario(
        [tech("T1", ["bb_install", "bb_repair"], **{"break": brk}), tech("T2", ["bb_repair"])],
        [
            job("J1", "L1", ["09:00", "10:00"], tier="gold"),
            job("J2", "L2", ["10:00", "11:00"]),
            job("J3", "L3", ["11:00", "12:00"], skill="bb_repair", service_min=45),
            job("J4", "L4", ["13:00", "14:00"], tier="diamond"),
            job("J5", "L5", ["09:00", "12:00"], skill="bb_repair", tier="silver"),
            job("J6", "L2", ["14:00", "15:00"], skill="bb_repair"),
        ],
    )


def with_change(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``data`` with ``a.b[2].c`` set to ``value``."""
    out = copy.deepcopy(data)
    node: Any = out
    parts = path.replace("[", ".").replace("]", "").split(".")
    for p in parts[:-1]:
        node = node[int(p)] if p.isdigit() else node[p]
    last = parts[-1]
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return out
