"""Dispatch solve: every job once, DSP-01/02/05, breaks, reasons for what cannot be served."""

from __future__ import annotations

import time

import pytest

from guifan.norms import NormSet
from guifan.optimize.params import DispatchParams
from guifan.optimize.scenario import parse_scenario
from guifan.optimize.solve import solve
from guifan.optimize.verify import verify
from tests.pure.optimize.scenarios import day, job, scenario, tech

PARAMS = DispatchParams.from_norms(NormSet())


def plan_for(data, params=PARAMS, limit=1.0):
    problem = parse_scenario(data)
    plan = solve(problem, params=params, time_limit=limit, seed=1)
    report = verify(problem, plan, params.timing)
    assert report.errors == ()
    return plan


def test_every_job_appears_once_and_every_rule_holds():
    plan = plan_for(day())
    routed = [s.job for r in plan.routes for s in r.stops]
    assert sorted(routed + [u.job for u in plan.unassigned]) == [f"J{i}" for i in range(1, 7)]
    assert plan.unassigned == ()


def test_only_certified_technicians_get_a_job():
    plan = plan_for(day())
    by_tech = {r.technician: {s.job for s in r.stops} for r in plan.routes}
    assert by_tech.get("T2", set()) <= {"J3", "J5", "J6"}
    assert {"J1", "J2", "J4"} <= by_tech["T1"]


def test_departure_is_back_computed_to_arrive_early():
    plan = plan_for(scenario([tech("T1", ["bb_install"])], [job("J1", "L1", ["09:00", "10:00"])]))
    stop = plan.routes[0].stops[0]
    assert (stop.depart, stop.arrive, stop.start, stop.end) == (520, 530, 540, 600)


def test_the_early_margin_comes_from_the_norm_catalog():
    norms = NormSet(overrides={("DSP-02", "early_max_minutes"): 7})
    params = DispatchParams.from_norms(norms)
    data = scenario([tech("T1", ["bb_install"])], [job("J1", "L1", ["09:00", "10:00"])])
    stop = plan_for(data, params).routes[0].stops[0]
    assert stop.arrive == 533


def test_a_late_start_still_leaves_the_minimum_margin():
    """Shift starts 08:30, 50 minutes away: arrive 09:20, start 09:25 (DSP-02 minimum 5)."""
    data = scenario([tech("T1", ["bb_install"])], [job("J1", "L5", ["09:00", "10:00"])])
    stop = plan_for(data).routes[0].stops[0]
    assert (stop.depart, stop.arrive, stop.start) == (510, 560, 565)


def test_a_higher_tier_wins_the_last_slot_over_a_closer_job():
    data = scenario(
        [tech("T1", ["bb_install"])],
        [
            job("NEAR", "L1", ["09:00", "09:30"], service_min=240),
            job("FAR", "L4", ["09:00", "09:30"], service_min=240, tier="diamond"),
        ],
    )
    plan = plan_for(data)
    assert [s.job for s in plan.routes[0].stops] == ["FAR"]
    assert [u.job for u in plan.unassigned] == ["NEAR"]
    assert plan.unassigned[0].reason.startswith("capacity")


@pytest.mark.parametrize(("tier", "winner"), [("gold", {"BIG"}), ("silver", {"A", "B", "C"})])
def test_tier_weights_count_before_distance(tier, winner):
    """One gold (4) outweighs three normal jobs (3); one silver (2) does not."""
    data = scenario(
        [tech("T1", ["bb_install"])],
        [
            job("BIG", "L1", ["09:00", "09:00"], service_min=200, tier=tier),
            job("A", "L1", ["09:00", "09:00"]),
            job("B", "L1", ["10:05", "10:05"]),
            job("C", "L1", ["11:10", "11:10"]),
        ],
    )
    plan = plan_for(data)
    assert {s.job for r in plan.routes for s in r.stops} == winner


def test_a_technician_with_a_break_takes_it_without_overlap():
    plan = plan_for(day())
    t1 = next(r for r in plan.routes if r.technician == "T1")
    assert t1.break_ is not None
    assert 11 * 60 + 30 <= t1.break_.start <= 13 * 60 + 30
    assert t1.break_.end - t1.break_.start == 45


def test_a_technician_without_stops_takes_no_break():
    brk = {"earliest": "11:30", "latest": "13:30", "minutes": 45}
    data = scenario(
        [tech("T1", ["bb_install"]), tech("T2", ["bb_repair"], **{"break": brk})],
        [job("J1", "L1", ["09:00", "10:00"])],
    )
    plan = plan_for(data)
    assert [r.technician for r in plan.routes] == ["T1"]


def test_an_unreachable_window_gets_a_reason():
    data = scenario([tech("T1", ["bb_install"])], [job("J1", "L5", ["08:30", "08:45"])])
    plan = plan_for(data)
    assert plan.routes == ()
    assert "unreachable" in plan.unassigned[0].reason


def test_a_job_nobody_is_certified_for_gets_a_reason():
    data = scenario(
        [tech("T1", ["bb_install"])], [job("J1", "L1", ["09:00", "10:00"], skill="fttr")]
    )
    plan = plan_for(data)
    assert plan.unassigned[0].reason == "no certified technician for skill fttr (DSP-05)"


def test_a_pinned_job_goes_to_its_technician():
    data = scenario(
        [tech("T1", ["bb_install"]), tech("T2", ["bb_install"], start="L5", end="L5")],
        [job("J1", "L1", ["09:00", "10:00"], technician="T2")],
    )
    plan = plan_for(data)
    assert plan.assignment() == {"J1": "T2"}


def test_a_job_pinned_to_an_uncertified_technician_is_unassigned():
    data = scenario(
        [tech("T1", ["bb_install"]), tech("T2", ["bb_repair"])],
        [job("J1", "L1", ["09:00", "10:00"], technician="T2")],
    )
    plan = plan_for(data)
    assert "pinned technician T2" in plan.unassigned[0].reason


def test_max_jobs_caps_a_route():
    data = scenario(
        [tech("T1", ["bb_install"], max_jobs=1)],
        [job("J1", "L1", ["09:00", "10:00"]), job("J2", "L2", ["13:00", "14:00"], tier="gold")],
    )
    plan = plan_for(data)
    assert plan.assignment() == {"J2": "T1"}


def test_travel_km_is_the_matrix_sum():
    data = scenario([tech("T1", ["bb_install"])], [job("J1", "L3", ["09:00", "10:00"])])
    assert plan_for(data).travel_km == pytest.approx(30.0)


def test_the_time_limit_is_kept():
    t0 = time.perf_counter()
    plan_for(day(), limit=0.5)
    assert time.perf_counter() - t0 < 0.75


def test_different_break_rules_are_kept():
    data = day()
    data["technicians"][0]["break"] = {"earliest": "11:30", "latest": "13:30", "minutes": 30}
    data["technicians"][1]["break"] = {"earliest": "11:00", "latest": "12:00", "minutes": 45}
    plan = plan_for(data)
    assert len({s.job for r in plan.routes for s in r.stops}) + len(plan.unassigned) == 6
    assert all(r.break_ is not None for r in plan.routes)


def test_the_deterministic_mode_never_stops_on_the_clock(monkeypatch):
    """Same input, same plan on any machine: a machine so slow that every deadline has passed
    gets the plan a fast one gets (issue 16: the demo's day differed under load). The search
    is PyVRP's within a work budget; VROOM (not repeatable, ADR 0018) is not asked."""
    from guifan.optimize import solve as solve_mod

    params = DispatchParams(PARAMS.timing, PARAMS.tier_weights, improve=False)
    problem = parse_scenario(day())
    fast = solve(problem, params=params, time_limit=5.0, seed=1)
    seen: list[object] = []
    monkeypatch.setattr(solve_mod, "_vroom_input", lambda *a, **k: seen.append(a))
    ticks = iter(range(0, 10**9, 100))
    monkeypatch.setattr(solve_mod.time, "perf_counter", lambda: float(next(ticks)))
    slow = solve(problem, params=params, time_limit=5.0, seed=1)
    assert seen == []
    assert slow == fast
    assert verify(problem, slow, params.timing).errors == ()


def test_a_job_no_technician_can_reach_within_the_shift_gets_a_reason():
    """L5 is 50 minutes out: there, an hour's work and back does not fit 08:30-10:00."""
    data = scenario(
        [tech("T1", ["bb_install"], shift=["08:30", "10:00"])],
        [job("FAR", "L5", ["08:30", "17:00"]), job("NEAR", "L1", ["08:30", "17:00"])],
    )
    plan = plan_for(data)
    assert plan.assignment() == {"NEAR": "T1"}
    assert [u.job for u in plan.unassigned] == ["FAR"]
    assert "unreachable by any certified technician within the shift" in plan.unassigned[0].reason


def test_a_window_ending_before_it_starts_is_unassigned_with_a_reason():
    data = scenario(
        [tech("T1", ["bb_install"])],
        [job("BAD", "L1", ["10:00", "09:00"]), job("OK", "L2", ["09:00", "10:00"])],
    )
    plan = plan_for(data)
    assert plan.assignment() == {"OK": "T1"}
    assert plan.unassigned[0].code == "window_invalid"
    assert "10:00-09:00 ends before it starts" in plan.unassigned[0].reason
