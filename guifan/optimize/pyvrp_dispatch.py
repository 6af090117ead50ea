"""PyVRP improvement of a dispatch day: prize collecting by tier weight (DSP-01).

PyVRP has no skills and no breaks, so both are encoded:

- skills (DSP-05) and pins are extra load dimensions: a job loads one unit of its skill
  (and of its pin); a technician's capacity is zero in every dimension it may not serve;
- a break is a *twin* of each job (same place, in a mutually exclusive group with it) whose
  visit is "take the break on arrival, then serve"; one load dimension allows at most one
  twin per route and a small prize bonus makes the solver take one where it fits. Where
  technicians have different break rules (staggered lunches), each rule has its own twins
  and its own dimension, which only its technicians can load.

The caller times the resulting order with :func:`guifan.optimize.schedule.schedule`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from guifan.optimize.deadline import Deadline
from guifan.optimize.params import DispatchParams
from guifan.optimize.problem import Break, Job, Problem, Technician

BIG = 10**9
STALL_ITERATIONS = 20_000  # small days converge long before the time limit
IMPROVE_NEIGHBOURS: int | None = None  # PyVRP's granular neighbourhood in improve (None: its 50)


@dataclass(frozen=True, slots=True)
class Encoding:
    """ProblemData plus the maps back to jobs: client index -> (job index, is twin)."""

    data: Any
    unit: int  # prize of one tier-weight unit
    clients: tuple[tuple[int, bool], ...]
    twin_of: dict[tuple[int, int], int]  # (job index, break rule index) -> twin client index
    plain_of: dict[int, int]  # job index -> plain client index
    rule_of: tuple[int | None, ...]  # per technician (vehicle type): its break rule's index


def break_rules(problem: Problem) -> list[Break]:
    """The technicians' distinct break rules, in a fixed order."""
    found = {t.break_ for t in problem.technicians if t.break_ is not None}
    return sorted(found, key=lambda b: (b.earliest, b.latest, b.minutes))


def _dims(
    problem: Problem, jobs: Sequence[Job], n_rules: int
) -> tuple[dict[str, int], dict[str, int]]:
    first = 1 + max(1, n_rules)  # after the jobs and the break dimensions (one at least)
    skills = {s: first + i for i, s in enumerate(sorted({j.skill for j in jobs}))}
    pinned = sorted({j.technician for j in jobs if j.technician})
    pins = {t: first + len(skills) + i for i, t in enumerate(pinned)}
    return skills, pins


def encode(problem: Problem, jobs: Sequence[Job], params: DispatchParams) -> Encoding:
    """Build the PyVRP data: dimension 0 counts jobs, then one per break rule (at least one),
    then skills, pins."""
    import numpy as np
    from pyvrp import Client, ClientGroup, Depot, Location, ProblemData

    tr = problem.travel
    rules = break_rules(problem)
    skills, pins = _dims(problem, jobs, len(rules))
    ndim = 1 + max(1, len(rules)) + len(skills) + len(pins)
    km = np.rint(tr.km * 1000).astype(np.int64)
    unit = int(10 * max(1, int(km.max())))  # one tier-weight unit outweighs any detour
    early = params.timing.early_min
    clients: list[Any] = []
    back: list[tuple[int, bool]] = []
    groups: list[Any] = []
    twin_of: dict[tuple[int, int], int] = {}
    plain_of: dict[int, int] = {}
    for k, j in enumerate(jobs):
        load = [0] * ndim
        load[0] = 1
        load[skills[j.skill]] = 1
        if j.technician:
            load[pins[j.technician]] = 1
        prize = params.weight(j.tier) * unit
        loc = tr.index[j.location]
        plain_of[k] = len(clients)
        twins = [
            (r, twin)
            for r, rule in enumerate(rules)
            if (
                twin := _twin(rule, r, j, load, loc=loc, prize=prize + unit // 2, group=len(groups))
            )
            is not None
        ]
        clients.append(
            Client(
                location=loc,
                group=len(groups) if twins else None,
                delivery=load,
                service_duration=j.service_min + early,
                tw_early=max(0, j.window[0] - early),
                tw_late=max(0, j.window[1] - early),
                prize=prize,
                required=False,
            )
        )
        back.append((k, False))
        if twins:
            members = [plain_of[k]]
            for r, twin in twins:
                twin_of[(k, r)] = len(clients)
                members.append(len(clients))
                clients.append(twin)
                back.append((k, True))
            groups.append(ClientGroup(members, required=False))
    depots_locs = sorted(
        {tr.index[t.start] for t in problem.technicians}
        | {tr.index[t.end] for t in problem.technicians}
    )
    depot_idx = {loc: i for i, loc in enumerate(depots_locs)}
    rule_of = tuple(
        None if t.break_ is None else rules.index(t.break_) for t in problem.technicians
    )
    vtypes = [
        _vehicle(
            t, rule_of[i], skills=skills, pins=pins, ndim=ndim, depot_idx=depot_idx, index=tr.index
        )
        for i, t in enumerate(problem.technicians)
    ]
    dur = np.ceil(tr.minutes - 1e-9).astype(np.int64)
    data = ProblemData(
        locations=[Location(0.0, 0.0) for _ in tr.locations],
        clients=clients,
        depots=[Depot(location=loc) for loc in depots_locs],
        vehicle_types=vtypes,
        # The stubs want ndarray[int]; these are int64 arrays.
        distance_matrices=[km],  # type: ignore[list-item]
        duration_matrices=[dur],  # type: ignore[list-item]
        groups=groups,
    )
    return Encoding(data, unit, tuple(back), twin_of, plain_of, rule_of)


def _twin(
    brk: Break, rule: int, job: Job, load: list[int], *, loc: int, prize: int, group: int
) -> Any:
    """The job visited with break rule ``rule`` taken on arrival, or ``None`` if the times
    never meet. It loads that rule's dimension, which only its technicians can carry."""
    from pyvrp import Client

    delivery = list(load)
    delivery[1 + rule] = 1
    early = max(brk.earliest, job.window[0] - brk.minutes)
    late = min(brk.latest, job.window[1] - brk.minutes)
    if late < early:
        return None
    return Client(
        location=loc,
        delivery=delivery,
        service_duration=brk.minutes + job.service_min,
        tw_early=early,
        tw_late=late,
        prize=prize,
        required=False,
        group=group,
    )


def _vehicle(
    tech: Technician,
    rule: int | None,
    *,
    skills: dict[str, int],
    pins: dict[str, int],
    ndim: int,
    depot_idx: dict[int, int],
    index: dict[str, int],
) -> Any:
    from pyvrp import VehicleType

    cap = tech.max_jobs if tech.max_jobs is not None else BIG
    capacity = [0] * ndim
    capacity[0] = cap
    if rule is not None:
        capacity[1 + rule] = 1  # at most one break, of its own rule
    for skill, d in skills.items():
        capacity[d] = cap if skill in tech.skills else 0
    if tech.id in pins:
        capacity[pins[tech.id]] = cap
    return VehicleType(
        num_available=1,
        capacity=capacity,
        start_depot=depot_idx[index[tech.start]],
        end_depot=depot_idx[index[tech.end]],
        tw_early=tech.shift[0],
        tw_late=tech.shift[1],
        name=tech.id,
    )


def initial(enc: Encoding, routes: Sequence[tuple[list[int], int | None]]) -> Any:
    """A PyVRP solution from per-technician job orders and break positions (VROOM's)."""
    from pyvrp import Route, Solution

    out = []
    for vt, (seq, hint) in enumerate(routes):
        if not seq:
            continue
        rule = enc.rule_of[vt]
        visits = [
            enc.twin_of[(k, rule)]
            if pos == hint and rule is not None and (k, rule) in enc.twin_of
            else enc.plain_of[k]
            for pos, k in enumerate(seq)
        ]
        out.append(Route(enc.data, visits, vt))
    return Solution(enc.data, out)


def decode(enc: Encoding, solution: Any, n_techs: int) -> list[tuple[list[int], int | None]]:
    """Per technician: job indices in order and the number of jobs before the break."""
    out: list[tuple[list[int], int | None]] = [([], None) for _ in range(n_techs)]
    for route in solution.routes():
        seq: list[int] = []
        hint: int | None = None
        for act in route:
            if act.is_client():
                k, twin = enc.clients[act.idx]
                if twin:
                    hint = len(seq)
                seq.append(k)
        out[route.vehicle_type()] = (seq, hint)
    return out


def improve(
    problem: Problem,
    jobs: Sequence[Job],
    params: DispatchParams,
    start: Sequence[tuple[list[int], int | None]],
    *,
    deadline: float,
    seed: int,
    enc: Encoding | None = None,
) -> list[tuple[list[int], int | None]] | None:
    """Improve ``start`` with PyVRP until ``deadline`` (a ``perf_counter`` time, less what
    timing the routes needs); ``None`` if nothing feasible was found. ``enc`` is
    :func:`encode`'s result for these jobs, when the caller already has it."""
    from pyvrp import PenaltyParams, SolveParams, solve

    if enc is None:
        enc = encode(problem, jobs, params)
    stop_at = deadline - 0.1 - 0.001 * len(jobs)
    # A unit of violation (a minute late, a skill missing) must cost more than any prize.
    penalty = PenaltyParams(max_penalty=20.0 * max(dict(params.tier_weights).values()) * enc.unit)
    # The wall-clock mode uses its whole budget (issue 16): no stall criterion here.
    stop = Deadline(stop_at)
    kw: dict[str, Any] = {"penalty": penalty}
    if IMPROVE_NEIGHBOURS is not None:
        from pyvrp.search import NeighbourhoodParams

        kw["neighbourhood"] = NeighbourhoodParams(num_neighbours=IMPROVE_NEIGHBOURS)
    res = solve(
        enc.data,
        stop=stop,
        seed=seed,
        collect_stats=False,
        params=SolveParams(**kw),
        initial_solution=initial(enc, start),
    )
    if not res.best.is_feasible():
        return None
    return decode(enc, res.best, len(problem.technicians))


def search(
    problem: Problem,
    jobs: Sequence[Job],
    params: DispatchParams,
    *,
    iterations: int,
    seed: int,
) -> list[tuple[list[int], int | None]] | None:
    """A plan from scratch within a work budget (``iterations``, never seconds): the same
    problem and seed give the same plan in any process on any machine (issue 16)."""
    from pyvrp import PenaltyParams, SolveParams, solve
    from pyvrp.stop import MaxIterations, MultipleCriteria, NoImprovement

    enc = encode(problem, jobs, params)
    penalty = PenaltyParams(max_penalty=20.0 * max(dict(params.tier_weights).values()) * enc.unit)
    stop = MultipleCriteria([MaxIterations(iterations), NoImprovement(STALL_ITERATIONS)])
    res = solve(
        enc.data,
        stop=stop,
        seed=seed,
        collect_stats=False,
        params=SolveParams(penalty=penalty),
    )
    if not res.best.is_feasible():
        return None
    return decode(enc, res.best, len(problem.technicians))
