"""Check a plan against every rule of the ``guifan dispatch solve`` contract (pure).

Used by the tests and the city-day benchmark; independent of how the plan was made.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from guifan.optimize.problem import Job, Problem, Technician
from guifan.optimize.result import Plan, Route, hhmm
from guifan.optimize.schedule import Timing


@dataclass(frozen=True, slots=True)
class PlanReport:
    """Rule violations (empty when the plan keeps every rule) and DSP-02 figures."""

    errors: tuple[str, ...]
    stops: int
    early_ok: int  # arrivals early_min..early_max before the service start (DSP-02)


def _route_errors(
    tech: Technician, route: Route, jobs: dict[str, Job], problem: Problem
) -> list[str]:
    errs: list[str] = []
    tr = problem.travel
    t, loc = tech.shift[0], tech.start
    for s in route.stops:
        job = jobs[s.job]
        where = f"{tech.id}/{s.job}"
        if job.skill not in tech.skills:
            errs.append(f"{where}: {tech.id} not certified for {job.skill} (DSP-05)")
        if job.technician not in (None, tech.id):
            errs.append(f"{where}: pinned to {job.technician}")
        if s.depart < t:
            errs.append(f"{where}: departs {hhmm(s.depart)} before free at {hhmm(t)}")
        if s.arrive != s.depart + tr.travel(loc, job.location):
            errs.append(f"{where}: arrive != depart + travel")
        if s.start < s.arrive or not job.window[0] <= s.start <= job.window[1]:
            errs.append(f"{where}: start {hhmm(s.start)} outside window or before arrival")
        if s.end != s.start + job.service_min:
            errs.append(f"{where}: end != start + service")
        t, loc = s.end, job.location
    home = t + tr.travel(loc, tech.end)
    if home > tech.shift[1]:
        errs.append(f"{tech.id}: back at {hhmm(home)} after shift end {hhmm(tech.shift[1])}")
    return errs + _break_errors(tech, route, tr.travel(loc, tech.end))


def _break_errors(tech: Technician, route: Route, drive_home: int) -> list[str]:
    brk = tech.break_
    if brk is None or not route.stops:
        return [] if route.break_ is None else [f"{tech.id}: break without a break rule"]
    b = route.break_
    if b is None:
        return [f"{tech.id}: no break taken"]
    errs = []
    if not brk.earliest <= b.start <= brk.latest or b.end - b.start != brk.minutes:
        errs.append(f"{tech.id}: break {hhmm(b.start)}-{hhmm(b.end)} outside its rule")
    busy = [(s.depart, s.arrive) for s in route.stops] + [(s.start, s.end) for s in route.stops]
    last = route.stops[-1].end
    home_depart = max(last, b.end) if b.start >= last else last
    busy.append((home_depart, home_depart + drive_home))
    if b.start < route.stops[0].depart and b.end > route.stops[0].depart:
        errs.append(f"{tech.id}: break overlaps the first drive")
    for lo, hi in busy:
        if lo < b.end and b.start < hi:
            errs.append(f"{tech.id}: break overlaps {hhmm(lo)}-{hhmm(hi)}")
    if b.end > tech.shift[1] - drive_home and b.start >= last:
        errs.append(f"{tech.id}: break leaves no time to drive home")
    return errs


def verify(problem: Problem, plan: Plan, timing: Timing) -> PlanReport:
    """Every contract violation of ``plan`` and the DSP-02 early-arrival count."""
    jobs = {j.id: j for j in problem.jobs}
    techs = {t.id: t for t in problem.technicians}
    errors: list[str] = []
    seen = [s.job for r in plan.routes for s in r.stops] + [u.job for u in plan.unassigned]
    for job_id, n in sorted(((k, len(list(g))) for k, g in itertools.groupby(sorted(seen)))):
        if n > 1:
            errors.append(f"{job_id}: appears {n} times")
    missing = set(jobs) - set(seen)
    errors += [f"{j}: neither routed nor unassigned" for j in sorted(missing)]
    errors += [f"{u.job}: unassigned without a reason" for u in plan.unassigned if not u.reason]
    km = 0.0
    for route in plan.routes:
        tech = techs[route.technician]
        errors += _route_errors(tech, route, jobs, problem)
        path = [tech.start, *(jobs[s.job].location for s in route.stops), tech.end]
        km += sum(problem.travel.dist(a, b) for a, b in itertools.pairwise(path))
    if abs(km - plan.travel_km) > max(0.5, 0.001 * km):
        errors.append(f"travel_km {plan.travel_km:.1f} != matrix sum {km:.1f}")
    stops = [s for r in plan.routes for s in r.stops]
    early = sum(1 for s in stops if timing.early_min <= s.start - s.arrive <= timing.early_max)
    return PlanReport(tuple(errors), len(stops), early)
