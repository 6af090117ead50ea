"""A dispatch plan (pure): routes with timed stops, unassigned jobs with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def hhmm(minutes: int) -> str:
    """``HH:MM`` for whole minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class Stop:
    """One visit: leave the previous place at ``depart``, arrive, serve ``start``..``end``."""

    job: str
    depart: int
    arrive: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class BreakSlot:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Route:
    """A technician's ordered stops, break (if any), and the time back at ``end``."""

    technician: str
    stops: tuple[Stop, ...]
    break_: BreakSlot | None
    home: int


@dataclass(frozen=True, slots=True)
class Unassigned:
    job: str
    reason: str
    code: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The solver's answer; ``travel_km`` sums start -> stops -> end over all routes."""

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    travel_km: float

    def as_json(self) -> dict[str, Any]:
        """The ``guifan dispatch solve`` PLAN.json shape (issue 4)."""
        routes = []
        for r in self.routes:
            stops = [
                {
                    "job": s.job,
                    "depart": hhmm(s.depart),
                    "arrive": hhmm(s.arrive),
                    "start": hhmm(s.start),
                    "end": hhmm(s.end),
                }
                for s in r.stops
            ]
            route: dict[str, Any] = {"technician": r.technician, "stops": stops}
            if r.break_ is not None:
                route["break"] = {"start": hhmm(r.break_.start), "end": hhmm(r.break_.end)}
            routes.append(route)
        return {
            "routes": routes,
            "unassigned": [{"job": u.job, "reason": u.reason} for u in self.unassigned],
            "travel_km": round(self.travel_km, 3),
        }

    def assignment(self) -> dict[str, str]:
        """Job id -> technician id for every routed job."""
        return {s.job: r.technician for r in self.routes for s in r.stops}
