"""Solve a Solomon VRPTW instance with PyVRP (distance only, one thread, seeded).

The objective is the real Euclidean distance that ``Cost`` reports, in integer
thousandths (rounded to nearest, so the total is off by at most half a thousandth per
edge); the DIMACS distance (edges truncated to a tenth) is only a benchmark score.
Travel *times* are the Euclidean distances rounded **up** at the same precision, so a plan
feasible for the solver is feasible under the unrounded times of CONTRACTS.md. PyVRP runs
with its default parameters until the wall-clock deadline (ADR 0032).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guifan.optimize.deadline import Deadline
from guifan.optimize.vrptw import Instance, Unserved, check, unservable

if TYPE_CHECKING:
    from pyvrp import ProblemData, SolveParams

TIME_SCALE = 1000
DIST_SCALE = 1000
# Granular neighbourhood size; None keeps PyVRP's default (50). ADR 0005 had chosen 20 on
# the 56 Solomon instances it was then scored on; ADR 0032 re-decides on a tuning set.
NUM_NEIGHBOURS: int | None = None


@dataclass(frozen=True, slots=True)
class VrptwResult:
    """Routes (customer ids, depot excluded), unserved customers and feasibility errors."""

    routes: tuple[tuple[int, ...], ...]
    unserved: tuple[Unserved, ...]
    errors: tuple[str, ...]
    iterations: int
    runtime: float


def problem_data(inst: Instance, served: list[int]) -> ProblemData:
    """PyVRP data for the ``served`` customers: distance and time in thousandths."""
    import numpy as np
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType

    nodes = [inst.nodes[i] for i in (0, *served)]
    xy = np.array([(c.x, c.y) for c in nodes], dtype=np.float64)
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    distance = np.rint(dist * DIST_SCALE).astype(np.int64)
    duration = np.ceil(dist * TIME_SCALE).astype(np.int64)
    early = math.floor(nodes[0].ready * TIME_SCALE)
    late = math.floor(nodes[0].due * TIME_SCALE)
    clients = [
        Client(
            location=k,
            delivery=[c.demand],
            service_duration=math.ceil(c.service * TIME_SCALE),
            tw_early=math.ceil(max(c.ready, 0) * TIME_SCALE),
            tw_late=math.floor(c.due * TIME_SCALE),
        )
        for k, c in enumerate(nodes[1:], 1)
    ]
    vehicle = VehicleType(
        num_available=inst.vehicles,
        capacity=[inst.capacity],
        start_depot=0,
        end_depot=0,
        tw_early=early,
        tw_late=late,
    )
    return ProblemData(
        locations=[Location(float(x), float(y)) for x, y in xy],
        clients=clients,
        depots=[Depot(location=0, tw_early=early, tw_late=late)],
        vehicle_types=[vehicle],
        distance_matrices=[distance],
        duration_matrices=[duration],
    )


def solve_params(num_neighbours: int | None = None) -> SolveParams:
    """PyVRP's default parameters, with ``num_neighbours`` granular neighbours if given."""
    from pyvrp import SolveParams
    from pyvrp.search import NeighbourhoodParams

    if num_neighbours is None:
        return SolveParams()
    return SolveParams(neighbourhood=NeighbourhoodParams(num_neighbours=num_neighbours))


def solve_vrptw(
    inst: Instance,
    *,
    time_limit: float,
    seed: int = 0,
    num_neighbours: int | None = NUM_NEIGHBOURS,
) -> VrptwResult:
    """Minimise total distance within ``time_limit`` seconds on one thread.

    Parameters
    ----------
    inst
        The instance; customers no vehicle can reach in time are reported, not routed.
    time_limit
        Wall-clock budget in seconds (> 0), model building included.
    seed
        Random seed; equal seeds and budgets give comparable runs.
    num_neighbours
        Granular neighbourhood size (None: PyVRP's default); for benchmarks.

    Returns
    -------
    VrptwResult
        Routes with errors checked under real Euclidean times.
    """
    if time_limit <= 0:
        raise ValueError(f"time_limit must be > 0, got {time_limit}")
    started = time.perf_counter()
    from pyvrp import solve

    bad = unservable(inst)
    excused = frozenset(u.customer for u in bad)
    served = [c.id for c in inst.nodes[1:] if c.id not in excused]
    if not served:
        return VrptwResult((), bad, (), 0, 0.0)
    data = problem_data(inst, served)
    res = solve(
        data,
        stop=Deadline(started + time_limit),
        seed=seed,
        collect_stats=False,
        params=solve_params(num_neighbours),
    )
    routes = tuple(
        tuple(served[a.idx] for a in route if a.is_client()) for route in res.best.routes()
    )
    errors = check(inst, [list(r) for r in routes], excused)
    return VrptwResult(routes, bad, tuple(errors), res.num_iterations, res.runtime)
