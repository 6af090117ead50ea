"""Solve a field-service day: who goes where and when (pure; VROOM for the search).

VROOM natively models what a dispatcher needs here: skills (DSP-05 and pins), priorities
(DSP-01, assigned priority first, then cost), shifts, breaks and a job cap per technician.
See ``docs/adr/0005-vrp-solver-choice.md`` for the measured comparison with PyVRP and
OR-Tools. DSP-02 is modelled by shifting each job's solver window ``early_min`` minutes
earlier and adding them to its service time, so every planned arrival leaves that margin.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from typing import Any

from guifan.optimize import pyvrp_dispatch
from guifan.optimize.params import DispatchParams
from guifan.optimize.problem import Job, Problem, Technician
from guifan.optimize.result import Plan, Route, Unassigned, hhmm
from guifan.optimize.schedule import Timing, schedule
from guifan.optimize.tier_repair import capacity_reason, repair, repair_proved

KM_SCALE = 1000  # solver costs are integer metres
SEARCH_ITERATIONS = 2000  # PyVRP's work budget when the plan must repeat (params.improve off)
# Share of the time limit for VROOM's plan; the DSP-01 pass and PyVRP's rounds get the rest.
# VROOM's search is what shortens routes and it is time-bound; since the pass takes seconds
# on 2,000 jobs it needs less of the rest (tuning days 11-14; ADR 0033, 2026-12-07 b).
CONSTRUCT_SHARE = 0.75
CONSTRUCT_SHARE_SMALL = 0.85  # ... on days of at most SMALL_DAY jobs
SMALL_DAY = 300
MAX_ROUNDS = 5  # search -> repair rounds after the first, while the budget lasts
ROUND_MIN = 0.1  # share of the time limit a round must have to start
REPAIR_FLOOR = 0.05  # share of the time limit kept at least for repairing a search's plan
REPAIR_MARGIN = 1.5  # ... or this times the last repair pass's own time, if more


def unreachable_reason(problem: Problem, job: Job, timing: Timing) -> Unassigned | None:
    """Why no technician could serve ``job`` even alone (``None`` if one can)."""
    if job.window_inverted:
        w0, w1 = hhmm(job.window[0]), hhmm(job.window[1])
        return Unassigned(
            job.id,
            f"window {w0}-{w1} ends before it starts: it can never be served",
            "window_invalid",
        )
    techs = [t for t in problem.technicians if job.technician in (None, t.id)]
    certified = [t for t in techs if job.skill in t.skills]
    if not certified:
        who = f"pinned technician {job.technician}" if job.technician else "technician"
        return Unassigned(
            job.id, f"no certified {who} for skill {job.skill} (DSP-05)", "no_certified"
        )
    able = [t for t in certified if t.max_jobs != 0]
    for tech in able:
        if schedule(tech, [job], problem.travel, timing) is not None:
            return None
    w0, w1 = hhmm(job.window[0]), hhmm(job.window[1])
    return Unassigned(
        job.id,
        f"window {w0}-{w1} unreachable by any certified technician within the shift",
        "window_unreachable",
    )


def reachable(problem: Problem, timing: Timing) -> tuple[list[Job], list[Unassigned]]:
    """The jobs some technician could serve alone, and the others with their reasons."""
    todo: list[Job] = []
    unassigned: list[Unassigned] = []
    for job in problem.jobs:
        reason = unreachable_reason(problem, job, timing)
        if reason is None:
            todo.append(job)
        else:
            unassigned.append(reason)
    return todo, unassigned


def _vroom_input(problem: Problem, jobs: Sequence[Job], params: DispatchParams) -> Any:
    import numpy as np
    import vroom

    tr = problem.travel
    inp = vroom.Input()
    inp.set_durations_matrix("car", np.ceil(tr.minutes - 1e-9).astype(np.uint32))
    inp.set_costs_matrix("car", np.rint(tr.km * KM_SCALE).astype(np.uint32))
    skill_ids = {s: i for i, s in enumerate(sorted({j.skill for j in jobs}))}
    pin_base = len(skill_ids)
    for k, t in enumerate(problem.technicians):
        brk = t.break_
        inp.add_vehicle(
            vroom.Vehicle(
                k + 1,
                start=tr.index[t.start],
                end=tr.index[t.end],
                time_window=vroom.TimeWindow(*t.shift),
                skills={skill_ids[s] for s in t.skills if s in skill_ids} | {pin_base + k},
                breaks=[]
                if brk is None
                else [
                    vroom.Break(k + 1, [vroom.TimeWindow(brk.earliest, brk.latest)], brk.minutes)
                ],
                max_tasks=t.max_jobs if t.max_jobs is not None else 2**32 - 1,
            )
        )
    pins = {t.id: pin_base + k for k, t in enumerate(problem.technicians)}
    early = params.timing.early_min
    for k, j in enumerate(jobs):
        skills = {skill_ids[j.skill]} | ({pins[j.technician]} if j.technician else set())
        inp.add_job(
            vroom.Job(
                k + 1,
                location=tr.index[j.location],
                default_service=j.service_min + early,
                skills=skills,
                priority=params.weight(j.tier),
                time_windows=[
                    vroom.TimeWindow(max(0, j.window[0] - early), max(0, j.window[1] - early))
                ],
            )
        )
    return inp


def _read_routes(sol: Any, n_techs: int) -> list[tuple[list[int], int | None]]:
    import numpy as np

    out: list[tuple[list[int], int | None]] = [([], None) for _ in range(n_techs)]
    for row in np.asarray(sol._routes_numpy()):
        kind = bytes(row["type"]).decode().strip()
        seq, _brk = out[int(row["vehicle_id"]) - 1]
        if kind == "job":
            seq.append(int(row["id"]) - 1)
        elif kind == "break":
            out[int(row["vehicle_id"]) - 1] = (seq, len(seq))
    return out


def _fit(
    problem: Problem, tech: Technician, seq: list[Job], hint: int | None, params: DispatchParams
) -> tuple[Route | None, list[Job]]:
    """Time the solver's sequence; drop the lowest-tier stops until it is feasible."""
    dropped: list[Job] = []
    while seq:
        route = schedule(tech, seq, problem.travel, params.timing, hint)
        if route is not None:
            return route, dropped
        for victim in sorted(seq, key=lambda j: params.weight(j.tier)):
            rest = [j for j in seq if j is not victim]
            if schedule(tech, rest, problem.travel, params.timing, hint) is not None:
                break
        seq = [j for j in seq if j is not victim]
        dropped.append(victim)
    return None, dropped


def _km(problem: Problem, tech: Technician, route: Route, jobs: dict[str, Job]) -> float:
    path = [tech.start, *(jobs[s.job].location for s in route.stops), tech.end]
    return sum(problem.travel.dist(a, b) for a, b in itertools.pairwise(path))


def solve(problem: Problem, *, params: DispatchParams, time_limit: float, seed: int = 0) -> Plan:
    """Plan the day within ``time_limit`` seconds.

    Parameters
    ----------
    problem
        Technicians, jobs and travel matrix.
    params
        DSP-01 weights and DSP-02 margins (see :meth:`DispatchParams.from_norms`).
    time_limit
        Wall-clock seconds for the whole call (> 0).
    seed
        Seed of PyVRP's search (both modes; VROOM's construction has none, ADR 0018).

    Returns
    -------
    Plan
        Every job once: in a route, or unassigned with a reason.
    """
    if time_limit <= 0:
        raise ValueError(f"time_limit must be > 0, got {time_limit}")
    started = time.perf_counter()
    todo, unassigned = reachable(problem, params.timing)
    if not todo or not problem.technicians:
        empty: list[tuple[list[int], int | None]] = [([], None) for _ in problem.technicians]
        return _plan(problem, todo, empty, params, unassigned)
    if not params.improve:
        return _repeatable(problem, todo, params, unassigned, seed=seed)
    # VROOM builds a plan with native skills, priorities and breaks; PyVRP then improves the
    # tier-weighted prize collection from it (VROOM's priority search is greedy: it keeps
    # one silver job over three normal ones). The better plan by DSP-01 score is kept.
    share = CONSTRUCT_SHARE_SMALL if len(todo) <= SMALL_DAY else CONSTRUCT_SHARE
    first = _run_vroom(problem, todo, params, deadline=started + share * time_limit)
    end = started + time_limit - _reserve(todo)
    # DSP-01 first: VROOM's plan is repaired at once, so a plan that proves the norm is in
    # hand whatever happens next, and the pass's own time on this machine, today, tells the
    # search how much of the budget to leave for repairing its plan (issue 16: a constant
    # measured on a quiet machine left the pass unfinished when the machine was loaded).
    t0 = time.perf_counter()
    # A plan whose pass ran to its end proves DSP-01 and beats one whose pass was cut,
    # whatever their weights (move 3, which only adds jobs, may be cut without that cost).
    best, proved = repair_proved(
        problem, _plan(problem, todo, first, params, unassigned), params, deadline=end
    )
    took = time.perf_counter() - t0
    room = end - time.perf_counter() - max(REPAIR_FLOOR * time_limit, REPAIR_MARGIN * took)
    enc = pyvrp_dispatch.encode(problem, todo, params) if room > 0.05 else None
    # Then search -> repair rounds to the end of the budget, the better plan by DSP-01 kept:
    # the first from VROOM's order (feasible in PyVRP's encoding, which keeps the DSP-02
    # margin), the next ones from the best repaired plan, each with another seed.
    start = first
    for rnd in range(MAX_ROUNDS + 1):
        keep = max(REPAIR_FLOOR * time_limit, REPAIR_MARGIN * took)
        if rnd and end - time.perf_counter() - keep < ROUND_MIN * time_limit:
            break
        raw = _improve(problem, todo, params, start, deadline=end - keep, seed=seed + rnd, enc=enc)
        if raw is None:
            continue  # no time (the next check stops), or nothing feasible from this start
        t0 = time.perf_counter()
        fixed, done = repair_proved(
            problem, _plan(problem, todo, raw, params, unassigned), params, deadline=end
        )
        took = time.perf_counter() - t0
        if (done, *_score(fixed, problem, params)) > (proved, *_score(best, problem, params)):
            best, proved = fixed, done
        start = _raw(best, todo, problem)
    return best


def _raw(plan: Plan, todo: list[Job], problem: Problem) -> list[tuple[list[int], int | None]]:
    """A plan's routes as the solvers' job orders and break positions (a start for PyVRP)."""
    index = {j.id: k for k, j in enumerate(todo)}
    by_tech = {r.technician: r for r in plan.routes}
    out: list[tuple[list[int], int | None]] = []
    for tech in problem.technicians:
        route = by_tech.get(tech.id)
        if route is None:
            out.append(([], None))
            continue
        brk = route.break_
        hint = None if brk is None else sum(1 for s in route.stops if s.start < brk.start)
        out.append(([index[s.job] for s in route.stops], hint))
    return out


def _repeatable(
    problem: Problem,
    todo: list[Job],
    params: DispatchParams,
    unassigned: list[Unassigned],
    *,
    seed: int,
) -> Plan:
    """The plan without a clock: PyVRP from scratch, a fixed seed and a work budget.

    VROOM is not repeatable even single-threaded without a timeout: the same input gives
    different orders within a route from one call or process to the next (issue 16; 1 of
    the demo's 95 captured problems, 12 of 30 runs; ADR 0018). PyVRP's search draws only
    from its seeded generator and stops after a number of iterations, so the same problem
    gives the same plan in every process, however fast the machine (also with staggered
    break rules: each has its own twins). VROOM's plan stands only where PyVRP found nothing
    feasible.
    """
    raw = pyvrp_dispatch.search(problem, todo, params, iterations=SEARCH_ITERATIONS, seed=seed)
    if raw is None:
        raw = _run_vroom(problem, todo, params, deadline=time.perf_counter())
    return repair(problem, _plan(problem, todo, raw, params, unassigned), params)


def _improve(
    problem: Problem,
    todo: list[Job],
    params: DispatchParams,
    start: list[tuple[list[int], int | None]],
    *,
    deadline: float,
    seed: int,
    enc: pyvrp_dispatch.Encoding | None,
) -> list[tuple[list[int], int | None]] | None:
    if enc is None:
        return None
    left = deadline - time.perf_counter() - _reserve(todo)
    if left <= 0.05:
        return None
    return pyvrp_dispatch.improve(
        problem, todo, params, start, deadline=deadline, seed=seed, enc=enc
    )


def _score(plan: Plan, problem: Problem, params: DispatchParams) -> tuple[int, float]:
    """DSP-01: tier-weighted assigned count first, then less travel."""
    tiers = {j.id: j.tier for j in problem.jobs}
    weight = sum(params.weight(tiers[s.job]) for r in plan.routes for s in r.stops)
    return weight, -plan.travel_km


def _plan(
    problem: Problem,
    todo: list[Job],
    raw: list[tuple[list[int], int | None]],
    params: DispatchParams,
    unassigned_before: list[Unassigned],
) -> Plan:
    unassigned = list(unassigned_before)
    routes: list[Route] = []
    by_id = {j.id: j for j in problem.jobs}
    km = 0.0
    placed: set[str] = set()
    for tech, (idx, hint) in zip(problem.technicians, raw, strict=True):
        route, dropped = _fit(problem, tech, [todo[i] for i in idx], hint, params)
        unassigned += [capacity_reason(j, timing=True) for j in dropped]
        if route is not None and route.stops:
            routes.append(route)
            km += _km(problem, tech, route, by_id)
            placed.update(s.job for s in route.stops)
    dropped_ids = {u.job for u in unassigned}
    unassigned += [
        capacity_reason(j) for j in todo if j.id not in placed and j.id not in dropped_ids
    ]
    return Plan(tuple(routes), tuple(unassigned), km)


def _reserve(todo: list[Job]) -> float:
    """Seconds kept back for timing the routes after a search."""
    return 0.1 + 0.001 * len(todo)


def _run_vroom(
    problem: Problem, todo: list[Job], params: DispatchParams, *, deadline: float
) -> list[tuple[list[int], int | None]]:
    import datetime as dt

    inp = _vroom_input(problem, todo, params)
    left = deadline - time.perf_counter() - _reserve(todo)
    # Without the improvement phase the plan must repeat on any machine: VROOM then runs its
    # whole exploration (bounded work) instead of stopping at a wall-clock timeout.
    timeout = dt.timedelta(seconds=max(0.05, left)) if params.improve else None
    sol = inp.solve(
        exploration_level=params.exploration_for(len(todo)),
        nb_threads=params.threads,
        timeout=timeout,
    )
    return _read_routes(sol, len(problem.technicians))
