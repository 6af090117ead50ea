"""Re-plan the rest of an area's day (DSP-03, DSP-04, DSP-05) on ``optimize.replan``.

The plan in force is read back from the appointments (technician, planned departure and
arrival); visits under way stay with their technician until their expected end; absent
technicians' visits must move. Moves go through ``visit_assign`` (certification, notices);
predicted late visits get a DSP-04 call-ahead prompt; proposals name what to do with each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.dispatch.apply import assign, lock_unchanged
from guifan.apps.dispatch.arealock import area_plan_lock
from guifan.apps.dispatch.problem import (
    DayProblem,
    day_minute,
    day_rows,
    replan_problem,
)
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.services.assign_checks import service_minutes
from guifan.apps.orders.services.records import event_record
from guifan.apps.workforce.access import area_get_for
from guifan.apps.workforce.models import ServiceArea
from guifan.apps.workforce.models import Technician as TechnicianRow
from guifan.optimize.params import DispatchParams
from guifan.optimize.replan import Replan, ReplanParams, replan
from guifan.optimize.result import Plan, Route, Stop


@dataclass(frozen=True, slots=True)
class ReplanOutcome:
    moved: int
    churn: int
    calls: list[tuple[str, str, bool]]  # order number, call by HH:MM, overdue
    proposals: list[tuple[str, str, str]]  # order number, action, technician badge or ""
    skipped: list[tuple[str, str]] = field(default_factory=list)  # order number, why


def _previous(problem: DayProblem, day: dt.date) -> Plan:
    """The plan in force, read back from the appointments' technicians and planned times."""
    routes: dict[int, list[Stop]] = {}
    for job, a in problem.visits.items():
        if a.technician_id is None or a.planned_arrival is None:
            continue
        arrive = day_minute(a.planned_arrival, day)
        depart = day_minute(a.planned_departure, day) if a.planned_departure else arrive
        start = max(arrive, day_minute(a.window_start, day))
        end = start + service_minutes(a.order.work_type)
        routes.setdefault(a.technician_id, []).append(Stop(job, depart, arrive, start, end))
    return Plan(
        tuple(
            Route(f"T{t}", tuple(sorted(stops, key=lambda s: s.arrive)), None, stops[-1].end)
            for t, stops in sorted(routes.items())
        ),
        (),
        0.0,
    )


def dispatch_replan(
    *,
    area_code: str,
    day: dt.date,
    now: dt.datetime,
    by: User | None,
    absent: frozenset[int] = frozenset(),
    time_limit: float = 4.0,
) -> ReplanOutcome:
    """Re-plan the rest of the day: read and solve outside any transaction, then apply."""
    area = area_get_for(by=by, code=area_code)
    with area_plan_lock(area):  # never two plans of one area at once (ADR 0039)
        return _replan(area, day, now=now, by=by, absent=absent, time_limit=time_limit)


def _replan(
    area: ServiceArea,
    day: dt.date,
    *,
    now: dt.datetime,
    by: User | None,
    absent: frozenset[int],
    time_limit: float,
) -> ReplanOutcome:
    problem = replan_problem(day_rows(area, day), now)
    ns = norms_snapshot()
    base = DispatchParams.from_norms(ns)
    # The repeatable plan, as in dispatch_plan: the same rows give the same re-plan (ADR 0018).
    params = ReplanParams(
        DispatchParams(base.timing, base.tier_weights, exploration=None, improve=False),
        ns.minutes("DSP-04", "late_call_lead_minutes"),
    )
    result = replan(
        problem.problem,
        _previous(problem, day),
        now=problem.now,
        params=params,
        started=problem.started,
        ill=frozenset(f"T{t}" for t in absent),
        time_limit=time_limit,
        seed=0,
    )
    badges = dict(TechnicianRow.objects.filter(area=area).values_list("id", "badge_no"))
    return _apply(result, problem, day, now=now, by=by, badges=badges)


@transaction.atomic
def _apply(
    result: Replan,
    problem: DayProblem,
    day: dt.date,
    *,
    now: dt.datetime,
    by: User | None,
    badges: dict[int, str],
) -> ReplanOutcome:
    under_way = {s.job for s in problem.started}
    moves = [
        (route.technician, stop)
        for route in result.plan.routes
        for stop in route.stops
        if stop.job not in under_way and _moved(problem, route.technician, stop, day)
    ]
    unchanged, refused = lock_unchanged(
        problem, {s.job for _, s in moves} | {c.job for c in result.call_ahead}
    )
    moved = 0
    for technician, stop in moves:
        if stop.job in unchanged:
            why = assign(problem.visits[stop.job], technician, stop, day, by=by)
            if why:
                refused.append((problem.visits[stop.job], why))
            else:
                moved += 1
    calls = []
    for c in result.call_ahead:
        if c.job not in unchanged:
            continue
        a = problem.visits[c.job]
        by_when = f"{c.due // 60:02d}:{c.due % 60:02d}"
        event_record(
            a.order,
            action="late_risk",
            at=now,
            by=by,
            msg="late_risk.replan",
            args={"due": by_when},
            detail={"due": by_when, "overdue": c.overdue},
        )
        calls.append((a.order.number, by_when, c.overdue))
    proposals: list[tuple[str, str, str]] = []
    for p in result.proposals:
        who = badges.get(int(p.technician[1:]), "") if p.technician else ""
        proposals.append((problem.visits[p.job].order.number, p.action, who))
    skipped = [(a.order.number, why) for a, why in refused]
    return ReplanOutcome(moved, result.churn, calls, proposals, skipped)


def _moved(problem: DayProblem, technician: str, stop: Stop, day: dt.date) -> bool:
    """Whether the re-plan gives the visit another technician or another arrival."""
    a = problem.visits[stop.job]
    same_tech = a.technician_id == int(technician[1:])
    same_time = a.planned_arrival is not None and day_minute(a.planned_arrival, day) == stop.arrive
    return not (same_tech and same_time)
