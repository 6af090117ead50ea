"""Wall-clock mode: search -> repair rounds in the rest of the budget (issue 16, ADR 0033).

The clock is faked (``time.perf_counter`` ticks per call) and PyVRP's improvement is
replaced, so what is tested is the control flow, never a timing.
"""

from __future__ import annotations

import itertools

import pytest

from guifan.norms import NormSet
from guifan.optimize import pyvrp_dispatch
from guifan.optimize import solve as solve_mod
from guifan.optimize.params import DispatchParams
from guifan.optimize.scenario import parse_scenario
from guifan.optimize.solve import solve
from guifan.optimize.verify import verify
from tests.pure.optimize.scenarios import day

PARAMS = DispatchParams.from_norms(NormSet())


def test_a_plan_read_back_as_a_start_gives_the_same_routes():
    problem = parse_scenario(day())
    plan = solve(problem, params=PARAMS, time_limit=1.0, seed=1)
    todo = list(problem.jobs)  # every job of day() is reachable
    raw = solve_mod._raw(plan, todo, problem)
    again = solve_mod._plan(problem, todo, raw, PARAMS, [])
    assert again.routes == plan.routes
    assert again.travel_km == pytest.approx(plan.travel_km)


@pytest.fixture
def fake_clock(monkeypatch):
    ticks = itertools.count()
    monkeypatch.setattr(solve_mod.time, "perf_counter", lambda: next(ticks) * 1e-3)


def _run(monkeypatch, rounds: int, worse: bool):
    """Solve day() with ``rounds`` rounds; every improvement after the first returns an empty
    plan (``worse``) or its start unchanged. Returns the plan and the starts PyVRP got."""
    starts: list[list[tuple[list[int], int | None]]] = []

    def fake_improve(problem, jobs, params, start, *, deadline, seed, enc=None):
        starts.append([(list(s), h) for s, h in start])
        if worse and len(starts) > 1:
            return [([], None) for _ in problem.technicians]
        return [(list(s), h) for s, h in start]

    monkeypatch.setattr(pyvrp_dispatch, "improve", fake_improve)
    monkeypatch.setattr(solve_mod, "MAX_ROUNDS", rounds)
    problem = parse_scenario(day())
    plan = solve(problem, params=PARAMS, time_limit=10.0, seed=1)
    assert verify(problem, plan, PARAMS.timing).errors == ()
    return problem, plan, starts


@pytest.mark.usefixtures("fake_clock")
def test_the_budget_left_after_the_repair_goes_to_more_rounds(monkeypatch):
    problem, plan, starts = _run(monkeypatch, rounds=3, worse=False)
    assert len(starts) == 1 + 3
    # Each round starts from the repaired best plan, not from the search's raw output.
    todo = list(problem.jobs)
    assert starts[1] == solve_mod._raw(plan, todo, problem)


@pytest.mark.usefixtures("fake_clock")
def test_a_worse_round_never_replaces_the_better_plan(monkeypatch):
    _, once, _ = _run(monkeypatch, rounds=0, worse=True)
    _, more, starts = _run(monkeypatch, rounds=2, worse=True)
    assert len(starts) == 1 + 2
    assert more == once


@pytest.mark.usefixtures("fake_clock")
def test_no_round_starts_without_the_time_for_it(monkeypatch):
    monkeypatch.setattr(solve_mod, "ROUND_MIN", 1.0)  # a round would need the whole limit
    _, _, starts = _run(monkeypatch, rounds=3, worse=False)
    assert len(starts) == 1


@pytest.mark.parametrize("seed", range(3))
def test_vrooms_plan_is_repaired_before_any_search(monkeypatch, seed):
    """DSP-01 is proved first: with no search at all (PyVRP finds nothing), the plan
    returned is VROOM's, repaired, with no blocking swap left."""
    from guifan.optimize.tier_repair import blocking_swaps
    from tests.pure.optimize.test_tier_repair import random_day

    monkeypatch.setattr(pyvrp_dispatch, "improve", lambda *a, **k: None)
    problem = parse_scenario(random_day(seed))
    plan = solve(problem, params=PARAMS, time_limit=2.0, seed=seed)
    assert verify(problem, plan, PARAMS.timing).errors == ()
    assert any(u.code == "capacity" for u in plan.unassigned)  # the day is overloaded
    assert blocking_swaps(problem, plan, PARAMS) == []


def test_a_plan_whose_pass_was_cut_never_replaces_a_proved_one(monkeypatch):
    """A search's plan whose DSP-01 pass ran into the deadline may still weigh more, but it is
    not proved (a blocking swap may remain): the plan whose pass ran to its end is kept."""
    now = [0.0]

    def tick() -> float:
        now[0] += 1e-3
        return now[0]

    monkeypatch.setattr(solve_mod.time, "perf_counter", tick)
    real_repair = solve_mod.repair_proved
    passes: list[object] = []

    def repair_proved(problem, plan, params, *, deadline=None):
        out, proved = real_repair(problem, plan, params)
        passes.append(out)
        if len(passes) == 2:
            now[0] = deadline + 1.0  # the search's pass ran past the deadline
            proved = False
        return out, proved

    real_score = solve_mod._score
    monkeypatch.setattr(solve_mod, "repair_proved", repair_proved)
    monkeypatch.setattr(
        solve_mod,
        "_score",
        lambda plan, *a: (
            (10**6, 0.0) if len(passes) > 1 and plan is passes[1] else real_score(plan, *a)
        ),
    )
    monkeypatch.setattr(
        pyvrp_dispatch,
        "improve",
        lambda problem, jobs, params, start, **k: [(list(s), h) for s, h in start],
    )
    problem = parse_scenario(day())
    plan = solve(problem, params=PARAMS, time_limit=10.0, seed=1)
    assert len(passes) == 2
    assert plan is passes[0]
