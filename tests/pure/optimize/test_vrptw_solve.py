"""VRPTW solve: feasible under real Euclidean times, unservable customers reported."""

from __future__ import annotations

import time

import pytest

from guifan.optimize.deadline import Deadline
from guifan.optimize.vrptw import (
    check,
    cost,
    cost_dimacs,
    format_solution,
    parse_solomon,
    read_solomon,
    unservable,
)
from guifan.optimize.vrptw_solve import problem_data, solve_vrptw
from tests.pure.optimize.conftest import solomon

C101 = "/work/shared/bench-data/solomon/instances/C101.txt"


def test_it_serves_every_customer_feasibly(small_text):
    inst = parse_solomon(small_text)
    res = solve_vrptw(inst, time_limit=0.5, seed=1)
    routes = [list(r) for r in res.routes]
    assert res.errors == ()
    assert check(inst, routes) == []
    assert sorted(c for r in routes for c in r) == [1, 2, 3, 4, 5, 6]


def test_it_finds_the_c101_optimum():
    inst = read_solomon(C101)
    res = solve_vrptw(inst, time_limit=1.5, seed=1)
    routes = [list(r) for r in res.routes]
    assert check(inst, routes) == []
    assert cost_dimacs(inst, routes) == pytest.approx(827.3)
    assert cost(inst, routes) == pytest.approx(828.94, abs=0.01)


def test_a_tight_window_is_met_with_real_times():
    """Travel 10*sqrt(2) = 14.142...; due 14.2 is reachable, rounding time up must allow it."""
    inst = parse_solomon(solomon(["0 0 0 0 0 100 0", "1 10 10 10 0 14.2 0"], 1))
    res = solve_vrptw(inst, time_limit=0.2, seed=1)
    assert res.routes == ((1,),)
    assert res.errors == ()


def test_unservable_customers_get_reasons_not_routes():
    rows = [
        "0 0 0 0 0 100 0",
        "1 10 0 10 0 50 5",  # fine
        "2 10 0 99 0 50 5",  # demand above capacity
        "3 10 0 10 40 20 5",  # inverted window
        "4 10 0 10 -20 -5 5",  # negative window
        "5 90 0 10 0 20 5",  # window closes before arrival
        "6 60 0 10 0 70 5",  # cannot get back by the horizon
    ]
    inst = parse_solomon(solomon(rows, 2, 30))
    reasons = {u.customer: u.reason for u in unservable(inst)}
    assert set(reasons) == {2, 3, 4, 5, 6}
    assert "capacity" in reasons[2]
    assert "inverted" in reasons[3]
    assert "negative" in reasons[4]
    assert "closes" in reasons[5]
    assert "return" in reasons[6]
    res = solve_vrptw(inst, time_limit=0.2, seed=1)
    assert res.routes == ((1,),)
    assert res.errors == ()
    text = format_solution(inst, [list(r) for r in res.routes], res.unserved)
    assert "Unassigned 2: demand 99 above vehicle capacity 30" in text


def test_the_checker_catches_a_late_arrival():
    inst = parse_solomon(solomon(["0 0 0 0 0 100 0", "1 10 10 10 0 14.1 0"], 1))
    assert any("after due" in e for e in check(inst, [[1]]))


def test_the_checker_catches_missing_duplicate_and_overload(small_text):
    inst = parse_solomon(small_text)
    errors = check(inst, [[1, 2, 3, 1], [4]])
    assert any("not visited" in e for e in errors)
    assert any("more than once" in e for e in errors)
    assert any("above capacity" in e for e in errors)


def test_the_solution_format_is_vrplib(small_text):
    inst = parse_solomon(small_text)
    text = format_solution(inst, [[1, 2], [], [3]])
    lines = text.splitlines()
    assert lines[0] == "Route #1: 1 2"
    assert lines[1] == "Route #2: 3"
    assert float(lines[2].split()[1]) == pytest.approx(cost(inst, [[1, 2], [3]]))


def test_a_zero_time_limit_is_refused(small_text):
    with pytest.raises(ValueError, match="time_limit"):
        solve_vrptw(parse_solomon(small_text), time_limit=0)


def test_the_objective_is_the_real_distance_not_the_truncated_one():
    """Tour 2-1-3 is shorter in real distance (23.180 against 23.208), 1-3-2 in DIMACS tenths
    (230 against 231): a solver minimising truncated distances returns the other tour."""
    rows = [
        "0 10 10 0 0 1000 0",
        "1 5 5 1 0 1000 0",
        "2 13 12 1 0 1000 0",
        "3 4 7 1 0 1000 0",
    ]
    inst = parse_solomon(solomon(rows, 1, 10))
    assert cost_dimacs(inst, [[1, 3, 2]]) < cost_dimacs(inst, [[2, 1, 3]])
    assert cost(inst, [[2, 1, 3]]) < cost(inst, [[1, 3, 2]]) - 0.02
    res = solve_vrptw(inst, time_limit=0.3, seed=1)
    assert res.routes in (((2, 1, 3),), ((3, 1, 2),))


def test_the_distance_matrix_is_real_distance_in_thousandths():
    rows = ["0 0 0 0 0 100 0", "1 1 1 1 0 100 0", "2 2 3 1 0 100 0"]
    inst = parse_solomon(solomon(rows, 1, 10))
    data = problem_data(inst, [1, 2])
    dist, dur = data.distance_matrix(0), data.duration_matrix(0)
    assert dist[0][1] == 1414  # sqrt(2) = 1.41421...: rounded, not truncated to 14 tenths
    assert dist[0][2] == 3606  # sqrt(13) = 3.60555...: rounded to nearest
    assert dur[0][1] == 1415  # travel time rounded up, so solver-feasible is really feasible
    assert dist[1][2] == dist[2][1] == 2236  # sqrt(5)


def test_the_whole_budget_goes_to_pyvrp_with_its_defaults(small_text, monkeypatch):
    import pyvrp

    seen: dict[str, object] = {}
    real_solve = pyvrp.solve

    def spy(data, stop, **kwargs):
        seen["stop"], seen["params"] = stop, kwargs["params"]
        return real_solve(data, stop, **kwargs)

    monkeypatch.setattr(pyvrp, "solve", spy)
    before = time.perf_counter()
    solve_vrptw(parse_solomon(small_text), time_limit=0.4, seed=1)
    stop, params = seen["stop"], seen["params"]
    assert isinstance(stop, Deadline)
    assert before + 0.4 <= stop.at <= before + 0.4 + 1.0  # clock started inside the call
    assert params == pyvrp.SolveParams()  # PyVRP's defaults (ADR 0032)
    assert params.neighbourhood.num_neighbours == 50
