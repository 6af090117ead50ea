"""Intraday re-plan (pure): keep started jobs, move as few jobs as needed, warn the late.

Given the plan in force, the clock and what happened (a job overran, a technician fell ill,
an urgent job arrived), :func:`replan` predicts which stops will start after their window,
raises a call-ahead task due ``late_call_lead_minutes`` before each such window (DSP-04),
re-optimises the rest of the day with a churn penalty, and proposes for each late stop a
reassignment or a new time with the customer (DSP-03).

Lateness comes first in the choice between the re-optimised plans (issue 16: a re-plan once
moved 13 visits and doubled the late risks): a plan's late risks are the jobs still to do
that it leaves unplaced or starts after their window. The solver weighs tiers, so it may
drop two on-time visits for a higher tier's; a third run holds the on-time visits at the top
tier, and when every run still has more late risks than keeping the plan, the plan is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from guifan.norms import NormSet
from guifan.optimize.params import DispatchParams
from guifan.optimize.problem import Job, Problem, Technician
from guifan.optimize.result import Plan, Route, Stop
from guifan.optimize.solve import solve


@dataclass(frozen=True, slots=True)
class Started:
    """A job in progress (or being driven to): fixed to its technician until ``expected_end``."""

    job: str
    technician: str
    expected_end: int


@dataclass(frozen=True, slots=True)
class CallAhead:
    """DSP-04: call the customer by ``due`` (``overdue`` when that moment has passed)."""

    job: str
    technician: str
    predicted_start: int | None  # None: the technician cannot come at all
    due: int
    overdue: bool


@dataclass(frozen=True, slots=True)
class Proposal:
    """DSP-03 for a late stop: reassign it, re-agree a time, or keep it (re-sequenced)."""

    job: str
    action: Literal["reassign", "reschedule", "keep"]
    technician: str | None
    start: int | None


@dataclass(frozen=True, slots=True)
class Replan:
    plan: Plan
    call_ahead: tuple[CallAhead, ...]
    proposals: tuple[Proposal, ...]
    churn: int  # jobs now planned with a different technician than before


@dataclass(frozen=True, slots=True)
class ReplanParams:
    """``late_call_lead`` is DSP-04 ``late_call_lead_minutes``; ``churn_penalty`` is in
    tier-weight units (a normal job is 1): a move must gain more than this to be made."""

    dispatch: DispatchParams
    late_call_lead: int
    churn_penalty: float = 0.5

    @classmethod
    def from_norms(cls, norms: NormSet, *, churn_penalty: float = 0.5) -> ReplanParams:
        """DSP-04 lead time plus the dispatch parameters of the same snapshot."""
        return cls(
            DispatchParams.from_norms(norms),
            norms.minutes("DSP-04", "late_call_lead_minutes"),
            churn_penalty,
        )


def predict_starts(
    problem: Problem, plan: Plan, *, now: int, started: Sequence[Started], ill: frozenset[str]
) -> dict[str, int | None]:
    """Predicted service start of every unfinished planned stop (``None``: will not come)."""
    jobs = {j.id: j for j in problem.jobs}
    overrun = {s.job: s.expected_end for s in started}
    out: dict[str, int | None] = {}
    for route in plan.routes:
        free, loc = None, None
        for stop in route.stops:
            job = jobs[stop.job]
            if route.technician in ill and stop.job not in overrun:
                out[stop.job] = None
                continue
            if stop.job in overrun or stop.end <= now:
                free, loc = overrun.get(stop.job, stop.end), job.location
                continue
            arrive = stop.arrive
            if free is not None and loc is not None:
                arrive = max(stop.depart, free) + problem.travel.travel(loc, job.location)
            start = max(arrive, job.window[0], now)
            out[stop.job] = start
            free, loc = start + job.service_min, job.location
    return out


def _remaining(problem: Problem, plan: Plan, *, now: int, started: Sequence[Started]) -> set[str]:
    """Jobs still to plan: not finished, not started."""
    done = {s.job for r in plan.routes for s in r.stops if s.end <= now}
    return {j.id for j in problem.jobs} - done - {s.job for s in started}


def _technicians(
    problem: Problem, plan: Plan, *, now: int, started: Sequence[Started], ill: frozenset[str]
) -> tuple[Technician, ...]:
    """Each available technician continues from where and when they are free."""
    jobs = {j.id: j for j in problem.jobs}
    busy = {s.technician: s for s in started}
    last_done: dict[str, Stop] = {}
    breaks = {r.technician: r.break_ for r in plan.routes}
    for r in plan.routes:
        for s in r.stops:
            if s.end <= now:
                last_done[r.technician] = s
    out = []
    for t in problem.technicians:
        if t.id in ill:
            continue
        where, when = t.start, max(now, t.shift[0])
        if t.id in busy:
            where, when = jobs[busy[t.id].job].location, max(now, busy[t.id].expected_end)
        elif t.id in last_done:
            where = jobs[last_done[t.id].job].location
        brk = t.break_
        taken = breaks.get(t.id)
        if brk is not None and taken is not None and taken.start <= now:
            brk = None
        elif brk is not None and brk.latest < when:
            brk = None  # the window for the break has passed while busy
        elif brk is not None:
            brk = replace(brk, earliest=max(brk.earliest, when))
        if when <= t.shift[1]:
            out.append(replace(t, start=where, shift=(when, t.shift[1]), break_=brk))
    return tuple(out)


def _value(plan: Plan, problem: Problem, before: dict[str, str], rp: ReplanParams) -> float:
    tiers = {j.id: j.tier for j in problem.jobs}
    weight = sum(rp.dispatch.weight(tiers[s.job]) for r in plan.routes for s in r.stops)
    return weight - rp.churn_penalty * _churn(plan, before) - 1e-6 * plan.travel_km


def _churn(plan: Plan, before: dict[str, str]) -> int:
    return sum(1 for job, tech in plan.assignment().items() if before.get(job, tech) != tech)


def late_risks(plan: Plan, problem: Problem, todo: set[str]) -> frozenset[str]:
    """The jobs still to do that ``plan`` leaves unplaced or starts after their window."""
    ends = {j.id: j.window[1] for j in problem.jobs}
    starts = {s.job: s.start for r in plan.routes for s in r.stops}
    return frozenset(j for j in todo if j not in starts or starts[j] > ends[j])


def kept_late_risks(
    problem: Problem, predicted: dict[str, int | None], todo: set[str]
) -> frozenset[str]:
    """The late risks of keeping the plan: the jobs still to do it does not reach in their
    window as ``predict_starts`` sees them (unplanned, a technician gone, an overrun)."""
    ends = {j.id: j.window[1] for j in problem.jobs}
    return frozenset(j for j in todo if (at := predicted.get(j)) is None or at > ends[j])


def _kept_plan(previous: Plan, started: Sequence[Started], ill: frozenset[str]) -> Plan:
    """The plan in force as it stands, less the started stops (``_with_started`` puts them
    back) and the stops of the technicians who are gone (they wait for a new time, DSP-03)."""
    busy = {s.job for s in started}
    routes = tuple(
        replace(r, stops=tuple(s for s in r.stops if r.technician not in ill and s.job not in busy))
        for r in previous.routes
    )
    return replace(previous, routes=tuple(r for r in routes if r.stops))


def _with_started(plan: Plan, previous: Plan, started: Sequence[Started]) -> Plan:
    """Put each started job back in front of its technician's new route, fixed."""
    old = {s.job: s for r in previous.routes for s in r.stops}
    fixed = {s.technician: replace(old[s.job], end=s.expected_end) for s in started if s.job in old}
    routes = []
    for r in plan.routes:
        head = (fixed.pop(r.technician),) if r.technician in fixed else ()
        routes.append(replace(r, stops=head + r.stops))
    routes += [Route(tech, (stop,), None, stop.end) for tech, stop in fixed.items()]
    return replace(plan, routes=tuple(routes))


def replan(
    problem: Problem,
    previous: Plan,
    *,
    now: int,
    params: ReplanParams,
    started: Sequence[Started] = (),
    ill: frozenset[str] = frozenset(),
    time_limit: float,
    seed: int = 0,
) -> Replan:
    """Re-plan the rest of the day at ``now`` (minutes after midnight).

    Parameters
    ----------
    problem
        The day's technicians and jobs, including any urgent job added since ``previous``.
    previous
        The plan in force.
    now
        The moment of the re-plan; read once by the caller.
    params
        Dispatch parameters, DSP-04 lead and churn penalty.
    started
        Jobs in progress with their expected (possibly overrun) end; they stay fixed.
    ill
        Technicians no longer available; their unstarted jobs must move.
    time_limit, seed
        Solver budget (seconds, split between a keep-assignments run, a free run and a run
        holding the on-time jobs at the top tier).
    """
    jobs = {j.id: j for j in problem.jobs}
    predicted = predict_starts(problem, previous, now=now, started=started, ill=ill)
    late = [j for j, st in predicted.items() if st is None or st > jobs[j].window[1]]
    before = previous.assignment()
    todo = _remaining(problem, previous, now=now, started=started)
    techs = _technicians(problem, previous, now=now, started=started, ill=ill)
    ids = {t.id for t in techs}
    keep = {j: before[j] for j in todo if j in before and j not in late and before[j] in ids}
    rest = [j for j in problem.jobs if j.id in todo]
    kept = tuple(replace(j, technician=j.technician or keep.get(j.id)) for j in rest)
    # The on-time visits at the top tier: the solver never drops one of them for another.
    top = max(params.dispatch.tier_weights, key=lambda tw: tw[1])[0]
    held = tuple(replace(j, tier=top) if j.id in keep else j for j in kept)
    runs = (kept, rest, held)
    candidates = [
        _with_started(
            solve(
                Problem(problem.date, techs, tuple(js), problem.travel),
                params=params.dispatch,
                time_limit=time_limit / len(runs),
                seed=seed,
            ),
            previous,
            started,
        )
        for js in runs
    ]
    # Fewest late risks first, then the tier-weighted value less the churn.
    plan = min(
        candidates,
        key=lambda p: (len(late_risks(p, problem, todo)), -_value(p, problem, before, params)),
    )
    if len(late_risks(plan, problem, todo)) > len(kept_late_risks(problem, predicted, todo)):
        plan = _with_started(_kept_plan(previous, started, ill), previous, started)
    return Replan(
        plan,
        _calls(late, jobs, before, predicted, now=now, params=params),
        _proposals(late, plan, before),
        _churn(plan, before),
    )


def _calls(
    late: list[str],
    jobs: dict[str, Job],
    before: dict[str, str],
    predicted: dict[str, int | None],
    *,
    now: int,
    params: ReplanParams,
) -> tuple[CallAhead, ...]:
    out = []
    for j in sorted(late, key=lambda j: jobs[j].window[0]):
        due = jobs[j].window[0] - params.late_call_lead
        out.append(CallAhead(j, before[j], predicted[j], due, due < now))
    return tuple(out)


def _proposals(late: list[str], plan: Plan, before: dict[str, str]) -> tuple[Proposal, ...]:
    where = plan.assignment()
    starts = {s.job: s.start for r in plan.routes for s in r.stops}
    out = []
    for j in sorted(late):
        if j not in where:
            out.append(Proposal(j, "reschedule", None, None))
        elif where[j] != before.get(j):
            out.append(Proposal(j, "reassign", where[j], starts[j]))
        else:
            out.append(Proposal(j, "keep", where[j], starts[j]))
    return tuple(out)
