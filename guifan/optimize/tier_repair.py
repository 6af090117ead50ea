"""DSP-01 repair after the solver (pure, deterministic): no job left out that fits.

The search (VROOM, PyVRP) weighs tiers but does not prove the norm: a diamond job can stay
unassigned while a normal job whose removal would make room for it is served. This pass
takes the unassigned jobs highest tier first and, for each,

1. inserts it where it fits as is (fewest DSP-02 margins given up, then least km), or else
2. removes one, or two close together, strictly-lower-tier jobs from one technician's route
   and inserts it there (fewest tier weight removed, then fewest DSP-02 margins given up,
   then least km), re-timing the route
   exactly with :func:`guifan.optimize.schedule.feasible`;

the jobs taken out queue up again (they may fit elsewhere or displace a still lower tier).
When neither helps, a third move makes room without giving anything up:

3. moves one job of a certified technician's route to another route where it fits as is,
   and inserts the left-out job in the room made (least km added in all).

Every exchange raises the plan in tier order (a higher tier in, only lower ones out; a move
loses nothing), so the pass ends; it repeats until nothing changes. Insertion ignores the
DSP-02 margin, which is a preference: a job the solver left out for the margin alone is put
back here.

After the pass no unassigned job fits any route as is, and none fits in place of one
strictly-lower-tier job of a route (``blocking_swaps`` checks this, for the tests).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from guifan.optimize.params import DispatchParams
from guifan.optimize.problem import Job, Problem, Technician
from guifan.optimize.result import Plan, Route, Unassigned
from guifan.optimize.schedule import feasible, schedule

# Reasons the pass may undo: the job fits some technician alone (the others are final).
REPAIRABLE = frozenset({"capacity", "capacity_break"})
PAIR_SPAN = 3  # two removals at most this many stops apart (they make room together)


def capacity_reason(job: Job, *, timing: bool = False) -> Unassigned:
    """The reason for a job left out for lack of room (DSP-01 wording)."""
    why = (
        "the route has no room for it around the technician's break"
        if timing
        else "not enough certified technician time"
    )
    return Unassigned(
        job.id,
        f"capacity: {why} ({job.tier.value}; lower tiers are left out first, DSP-01)",
        "capacity_break" if timing else "capacity",
    )


@dataclass(slots=True)
class _Day:
    problem: Problem
    params: DispatchParams
    seqs: dict[str, list[Job]]
    hints: dict[str, int | None]
    _late: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)
    step: int = 0  # one per change; ``changed[tech]`` is the step of its last change
    changed: dict[str, int] = field(default_factory=dict)
    log: list[int] = field(default_factory=list)  # technician index changed at each step
    index: dict[str, int] = field(default_factory=dict)  # technician id -> position
    # (technician, stops taken out) -> (step, bounds): asked for every left-out job
    bounds_memo: dict[tuple[str, tuple[int, ...]], tuple[int, tuple[list[int], list[int]]]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        self.index = {t.id: k for k, t in enumerate(self.problem.technicians)}

    def bounds(self, tech: Technician, out: tuple[int, ...] = ()) -> tuple[list[int], list[int]]:
        """:func:`_bounds` of the technician's current route without the stops at ``out``
        (moves 2 and 3 take stops out), kept until the route changes."""
        step = self.changed.get(tech.id, 0)
        hit = self.bounds_memo.get((tech.id, out))
        if hit is None or hit[0] != step:
            seq = self.seqs[tech.id]
            rest = [j for i, j in enumerate(seq) if i not in out] if out else seq
            hit = (step, _bounds(self, tech, rest))
            self.bounds_memo[(tech.id, out)] = hit
        return hit[1]

    def set(self, tech_id: str, seq: list[Job]) -> None:
        self.step += 1
        self.seqs[tech_id] = seq
        self.changed[tech_id] = self.step
        self.log.append(self.index[tech_id])

    def techs(self, job: Job, since: int) -> Iterator[Technician]:
        """Technicians who may serve ``job`` whose route changed after step ``since`` (in the
        problem's order; only the log's tail is read when few routes changed since)."""
        all_techs = self.problem.technicians
        if since >= 0 and self.step - since < len(all_techs):
            picked = (all_techs[k] for k in sorted(set(self.log[since:])))
        else:
            picked = (t for t in all_techs if self.changed.get(t.id, 0) > since)
        for tech in picked:
            if _can_serve(tech, job):
                yield tech

    def km(self, tech: Technician, seq: Sequence[Job]) -> float:
        tr = self.problem.travel
        path = [tech.start, *(j.location for j in seq), tech.end]
        return sum(tr.dist(a, b) for a, b in itertools.pairwise(path))

    def late(self, tech: Technician, seq: Sequence[Job]) -> int:
        """Stops planned without the DSP-02 margin (the preference given up)."""
        key = (tech.id, tuple(j.id for j in seq))
        if key not in self._late:
            timing = self.params.timing
            route = schedule(tech, seq, self.problem.travel, timing, self.hints[tech.id])
            self._late[key] = (
                len(seq)  # not reached: only feasible sequences are timed
                if route is None
                else sum(1 for s in route.stops if s.start - s.arrive < timing.early_min)
            )
        return self._late[key]

    def fits(self, tech: Technician, seq: Sequence[Job]) -> bool:
        if tech.max_jobs is not None and len(seq) > tech.max_jobs:
            return False
        return feasible(tech, seq, self.problem.travel, self.hints[tech.id])


def _can_serve(tech: Technician, job: Job) -> bool:
    return job.skill in tech.skills and job.technician in (None, tech.id)


def _bounds(day: _Day, tech: Technician, seq: Sequence[Job]) -> tuple[list[int], list[int]]:
    """Earliest and latest service starts of each stop, ignoring the break (which only adds
    time) and the DSP-02 margin: bounds that any feasible timing lies between."""
    tr = day.problem.travel
    early: list[int] = []
    t, loc = tech.shift[0], tech.start
    for j in seq:
        t = max(t + tr.travel(loc, j.location), j.window[0])
        early.append(t)
        t, loc = t + j.service_min, j.location
    late = [0] * len(seq)
    t, loc = tech.shift[1], tech.end
    for i in range(len(seq) - 1, -1, -1):
        j = seq[i]
        t = min(j.window[1], t - tr.travel(j.location, loc) - j.service_min)
        late[i] = t
        loc = j.location
    return early, late


def _positions(
    day: _Day,
    tech: Technician,
    seq: Sequence[Job],
    job: Job,
    bounds: tuple[list[int], list[int]] | None = None,
) -> Iterator[int]:
    """Insertion positions that the stops' earliest and latest starts do not rule out (a
    necessary condition; :func:`feasible` decides). ``bounds``: ``seq``'s, if known."""
    tr = day.problem.travel
    early, late = bounds if bounds is not None else _bounds(day, tech, seq)
    for p in range(len(seq) + 1):
        if p > 0:
            prev = seq[p - 1]
            free, loc = early[p - 1] + prev.service_min, prev.location
        else:
            free, loc = tech.shift[0], tech.start
        start = max(job.window[0], free + tr.travel(loc, job.location))
        if start > job.window[1]:
            continue
        end = start + job.service_min
        if p < len(seq):
            if end + tr.travel(job.location, seq[p].location) > late[p]:
                continue
        elif end + tr.travel(job.location, tech.end) > tech.shift[1]:
            continue
        yield p


def _insertion(
    day: _Day, job: Job, since: int, *, skip: str | None = None
) -> tuple[tuple[int, float], str, list[Job]] | None:
    """Best feasible insertion of ``job`` as is: fewest DSP-02 margins given up, then least
    added km; (key, technician, new sequence). ``skip``: a technician not to consider."""
    best: tuple[tuple[int, float], str, list[Job]] | None = None
    for tech in day.techs(job, since):
        if tech.id == skip:
            continue
        seq = day.seqs[tech.id]
        if tech.max_jobs is not None and len(seq) >= tech.max_jobs:
            continue
        base: tuple[int, float] | None = None
        for p in _positions(day, tech, seq, job, day.bounds(tech)):
            trial = [*seq[:p], job, *seq[p:]]
            if not day.fits(tech, trial):
                continue
            if base is None:
                base = (day.late(tech, seq), day.km(tech, seq))
            key = (day.late(tech, trial) - base[0], day.km(tech, trial) - base[1])
            if best is None or key < best[0]:
                best = (key, tech.id, trial)
    return best


def _removals(seq: Sequence[Job], weight: int, day: _Day, pairs: bool) -> Iterator[tuple[int, ...]]:
    lower = [i for i, j in enumerate(seq) if day.params.weight(j.tier) < weight]
    if not pairs:
        yield from ((i,) for i in lower)
        return
    for a, b in itertools.combinations(lower, 2):
        if b - a <= PAIR_SPAN:
            yield (a, b)


def _exchange(
    day: _Day, job: Job, since: int, *, pairs: bool
) -> tuple[str, list[Job], list[Job]] | None:
    """Best exchange: (technician, new sequence, jobs taken out), fewest weight out first."""
    weight = day.params.weight(job.tier)
    best: tuple[tuple[int, int, float], str, list[Job], list[Job]] | None = None
    for tech in day.techs(job, since):
        seq = day.seqs[tech.id]
        base: tuple[int, float] | None = None
        for out in _removals(seq, weight, day, pairs):
            taken = [seq[i] for i in out]
            rest = [j for i, j in enumerate(seq) if i not in out]
            lost = sum(day.params.weight(j.tier) for j in taken)
            if best is not None and lost > best[0][0]:
                continue
            for p in _positions(day, tech, rest, job, day.bounds(tech, out)):
                trial = [*rest[:p], job, *rest[p:]]
                if not day.fits(tech, trial):
                    continue
                if base is None:
                    base = (day.late(tech, seq), day.km(tech, seq))
                key = (lost, day.late(tech, trial) - base[0], day.km(tech, trial) - base[1])
                if best is None or key < best[0]:
                    best = (key, tech.id, trial, taken)
    return None if best is None else (best[1], best[2], best[3])


class _Moves:
    """Where each served job could go as is if its route needed the room (move 3), kept per
    job with the step it was computed at, so a later ask only looks at routes changed since."""

    def __init__(self, day: _Day) -> None:
        self.day = day
        self._where: dict[str, tuple[int, tuple[tuple[int, float], str, list[Job]] | None]] = {}
        self._rooms: dict[tuple[str, str], tuple[int, list[tuple[int, list[list[Job]]]]]] = {}

    def rooms(self, job: Job, tech: Technician) -> list[tuple[int, list[list[Job]]]]:
        """For each stop of ``tech``'s route that could make room for ``job``: (its index,
        the routes with it out and ``job`` in that fit), kept until the route changes."""
        day = self.day
        step = day.changed.get(tech.id, 0)
        hit = self._rooms.get((job.id, tech.id))
        if hit is not None and hit[0] == step:
            return hit[1]
        seq = day.seqs[tech.id]
        found: list[tuple[int, list[list[Job]]]] = []
        for k in range(len(seq)):
            rest = [*seq[:k], *seq[k + 1 :]]
            trials = [
                trial
                for p in _positions(day, tech, rest, job, day.bounds(tech, (k,)))
                if day.fits(tech, trial := [*rest[:p], job, *rest[p:]])
            ]
            if trials:
                found.append((k, trials))
        self._rooms[(job.id, tech.id)] = (step, found)
        return found

    def elsewhere(self, job: Job, owner: str) -> tuple[tuple[int, float], str, list[Job]] | None:
        day = self.day
        step, best = self._where.get(job.id, (-1, None))
        if best is not None and (best[1] == owner or day.changed.get(best[1], 0) > step):
            step, best = -1, None  # its place is gone (or is the route it must leave)
        if best is None:
            best = _insertion(day, job, step, skip=owner)
        elif step < day.step:  # a route changed since may now take it for less
            newer = _insertion(day, job, step, skip=owner)
            if newer is not None and newer[0] < best[0]:
                best = newer
        self._where[job.id] = (day.step, best)
        return best


def _relocation(
    day: _Day, job: Job, moves: _Moves, deadline: float | None
) -> tuple[tuple[str, list[Job]], tuple[str, list[Job]]] | None:
    """Move 3 for ``job``: (its technician and new route, the moved job's new technician and
    route), the fewest DSP-02 margins given up in both routes, then the least km added, as
    moves 1 and 2 choose; ``None`` if no single move makes room."""
    best: tuple[tuple[int, float], tuple[str, list[Job]], tuple[str, list[Job]]] | None = None
    for tech in day.techs(job, -1):
        if deadline is not None and time.perf_counter() > deadline:
            break
        seq = day.seqs[tech.id]
        base: tuple[int, float] | None = None
        # Whether the left-out job fits in the room is one route's timing; where the moved
        # job could go is a search of every route: asked only when the room fits.
        for k, trials in moves.rooms(job, tech):
            there = moves.elsewhere(seq[k], tech.id)
            if there is None:
                continue
            for trial in trials:
                if base is None:
                    base = (day.late(tech, seq), day.km(tech, seq))
                key = (
                    day.late(tech, trial) - base[0] + there[0][0],
                    day.km(tech, trial) - base[1] + there[0][1],
                )
                if best is None or key < best[0]:
                    best = (key, (tech.id, trial), (there[1], there[2]))
    return None if best is None else (best[1], best[2])


def repair(
    problem: Problem,
    plan: Plan,
    params: DispatchParams,
    *,
    deadline: float | None = None,
    relocate: bool = True,
) -> Plan:
    """Apply the DSP-01 pass to ``plan`` (module docstring).

    ``deadline`` (a ``perf_counter`` time) stops the pass between jobs in the wall-clock mode;
    ``None`` runs it to the end, so the same plan repeats (ADR 0018). ``relocate=False`` leaves
    out move 3 (the insert-and-swap pass alone, as the benchmark's reference has it).
    """
    return repair_proved(problem, plan, params, deadline=deadline, relocate=relocate)[0]


def repair_proved(
    problem: Problem,
    plan: Plan,
    params: DispatchParams,
    *,
    deadline: float | None = None,
    relocate: bool = True,
) -> tuple[Plan, bool]:
    """:func:`repair`, and whether the plan proves DSP-01: moves 1 and 2 ran to their end
    after the last change (move 3 cut by the deadline does not undo that)."""
    by_id = {j.id: j for j in problem.jobs}
    order = {j.id: k for k, j in enumerate(problem.jobs)}
    day = _Day(problem, params, {t.id: [] for t in problem.technicians}, {})
    for t in problem.technicians:
        day.hints[t.id] = None
    for r in plan.routes:
        day.seqs[r.technician] = [by_id[s.job] for s in r.stops]
        if r.break_ is not None:
            day.hints[r.technician] = sum(1 for s in r.stops if s.start < r.break_.start)
    final = [u for u in plan.unassigned if u.code not in REPAIRABLE]
    reasons = {u.job: u for u in plan.unassigned if u.code in REPAIRABLE}
    pending = [by_id[j] for j in reasons]

    def rank(j: Job) -> tuple[int, int]:
        return (-params.weight(j.tier), order[j.id])

    def late() -> bool:
        return deadline is not None and time.perf_counter() > deadline

    # A job is tried again only against the routes changed since its last try: whether it
    # fits a route depends on that route alone, so the result is the same as a full retry.
    tried: dict[str, int] = {}
    moves = _Moves(day)
    proved = False
    while pending:
        before = day.step
        left: list[Job] = []
        queue = sorted(pending, key=rank)
        cut = False
        while queue:
            job = queue.pop(0)
            if late():
                left += [job, *queue]
                cut = True
                break
            since = tried.get(job.id, -1)
            tried[job.id] = day.step
            ins = _insertion(day, job, since)
            if ins is not None:
                day.set(ins[1], ins[2])
                continue
            swap = _exchange(day, job, since, pairs=False) or _exchange(day, job, since, pairs=True)
            if swap is None:
                left.append(job)
                continue
            day.set(swap[0], swap[1])
            for out in swap[2]:
                reasons.setdefault(out.id, capacity_reason(out))
                tried.pop(out.id, None)
            queue = sorted([*queue, *swap[2]], key=rank)
        pending = left
        if cut:
            break
        if day.step != before:
            continue
        proved = True  # a whole sweep of moves 1 and 2 changed nothing
        if not relocate:
            break
        # Move 3 only when moves 1 and 2 are spent: it is the dearest to search.
        for job in sorted(pending, key=rank):
            if late():
                break
            found = _relocation(day, job, moves, deadline)
            if found is not None:
                day.set(*found[1])
                day.set(*found[0])
                pending.remove(job)
        if day.step == before:
            break
        proved = False  # the routes move 3 changed may take a job by moves 1 and 2 again
        if late():
            break
    proved = proved or not pending
    plan = _plan(problem, params, day, final, [reasons[j.id] for j in sorted(pending, key=rank)])
    return plan, proved


def _plan(
    problem: Problem,
    params: DispatchParams,
    day: _Day,
    final: list[Unassigned],
    left: list[Unassigned],
) -> Plan:
    routes: list[Route] = []
    km = 0.0
    for tech in problem.technicians:
        seq = day.seqs[tech.id]
        if not seq:
            continue
        route = schedule(tech, seq, problem.travel, params.timing, day.hints[tech.id])
        if route is None:  # pragma: no cover - every sequence kept was checked feasible
            raise AssertionError(f"{tech.id}: repaired route lost its timing")
        routes.append(route)
        km += day.km(tech, seq)
    return Plan(tuple(routes), tuple(final + left), km)


def blocking_swaps(problem: Problem, plan: Plan, params: DispatchParams) -> list[str]:
    """DSP-01 check: unassigned (repairable) jobs that fit a route as is, or in place of one
    strictly-lower-tier job of it. Exhaustive (every route, removal and every position a
    neighbour's window does not rule out); for the tests and the benchmark."""
    found: list[str] = []
    for u in plan.unassigned:
        if u.code not in REPAIRABLE:
            continue
        for tid, out in _rooms(problem, plan, params, u.job):
            found.append(f"{u.job} fits {tid} in place of {','.join(out) or 'nothing'}")
    return found


def room_for(
    problem: Problem,
    plan: Plan,
    params: DispatchParams,
    job_id: str,
    movable: frozenset[str] | None = None,
) -> tuple[str, tuple[str, ...]] | None:
    """DSP-01's question for one left-out job: the first route it fits as is, or in place of
    one strictly-lower-tier job of it (of ``movable`` only, when given: a visit under way
    cannot give up its place) — ``(technician, jobs taken out)`` — or None: nothing makes
    room, the job was rightly left out for higher tiers."""
    return next(iter(_rooms(problem, plan, params, job_id, movable)), None)


def _rooms(
    problem: Problem,
    plan: Plan,
    params: DispatchParams,
    job_id: str,
    movable: frozenset[str] | None = None,
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Per route, the first way ``job_id`` fits it: as is, or without one lower-tier job."""
    by_id = {j.id: j for j in problem.jobs}
    seqs: dict[str, list[Job]] = {t.id: [] for t in problem.technicians} | {
        r.technician: [by_id[s.job] for s in r.stops] for r in plan.routes
    }
    day = _Day(problem, params, seqs, dict.fromkeys(seqs))
    job = by_id[job_id]
    for tech in problem.technicians:
        seq = seqs[tech.id]
        if not _can_serve(tech, job):
            continue
        outs: list[tuple[int, ...]] = [()] + [
            (i,)
            for i, j in enumerate(seq)
            if params.weight(j.tier) < params.weight(job.tier)
            and (movable is None or j.id in movable)
        ]
        for out in outs:
            rest = [j for i, j in enumerate(seq) if i not in out]
            if tech.max_jobs is not None and len(rest) + 1 > tech.max_jobs:
                continue
            if any(
                feasible(tech, [*rest[:p], job, *rest[p:]], problem.travel)
                for p in _positions(day, tech, rest, job)
            ):
                yield tech.id, tuple(seq[i].id for i in out)
                break
