"""DSP-01 repair: no higher-tier job left out while lower-tier ones that block it are served."""

from __future__ import annotations

import itertools
import random
import time

import pytest

from guifan.norms import NormSet
from guifan.optimize import tier_repair
from guifan.optimize.params import DispatchParams
from guifan.optimize.result import Plan
from guifan.optimize.scenario import parse_scenario
from guifan.optimize.schedule import schedule
from guifan.optimize.solve import solve
from guifan.optimize.tier_repair import blocking_swaps, capacity_reason, repair, repair_proved
from guifan.optimize.verify import verify
from tests.pure.optimize.scenarios import job, scenario, tech

PARAMS = DispatchParams.from_norms(NormSet())
REPEATABLE = DispatchParams(PARAMS.timing, PARAMS.tier_weights, improve=False)


def hand_plan(problem, routes: dict[str, list[str]], left: list[str]) -> Plan:
    """A plan as a solver might return it: the given sequences, the rest out for capacity."""
    by_id = {j.id: j for j in problem.jobs}
    techs = {t.id: t for t in problem.technicians}
    out = []
    km = 0.0
    for tid, ids in routes.items():
        r = schedule(techs[tid], [by_id[i] for i in ids], problem.travel, PARAMS.timing)
        assert r is not None
        out.append(r)
        path = [techs[tid].start, *(by_id[i].location for i in ids), techs[tid].end]
        km += sum(problem.travel.dist(a, b) for a, b in itertools.pairwise(path))
    return Plan(tuple(out), tuple(capacity_reason(by_id[i]) for i in left), km)


def checked(problem, plan):
    assert verify(problem, plan, PARAMS.timing).errors == ()
    return plan


def diamond_behind_normal():
    """One technician, room for one of two 240-minute jobs: a normal and a diamond one."""
    return parse_scenario(
        scenario(
            [tech("T1", ["bb_install"])],
            [
                job("NORM", "L1", ["09:00", "09:30"], service_min=240),
                job("DIA", "L4", ["09:00", "09:30"], service_min=240, tier="diamond"),
            ],
        )
    )


def test_a_diamond_job_takes_the_place_of_a_normal_one():
    problem = diamond_behind_normal()
    before = hand_plan(problem, {"T1": ["NORM"]}, ["DIA"])
    assert blocking_swaps(problem, before, PARAMS) == ["DIA fits T1 in place of NORM"]
    after = checked(problem, repair(problem, before, PARAMS))
    assert after.assignment() == {"DIA": "T1"}
    assert [(u.job, u.code) for u in after.unassigned] == [("NORM", "capacity")]
    assert blocking_swaps(problem, after, PARAMS) == []


def test_two_lower_jobs_make_room_together():
    """Either silver job alone leaves no room for the 400-minute gold job; both do."""
    problem = parse_scenario(
        scenario(
            [tech("T1", ["bb_install"])],
            [
                job("S1", "L1", ["09:00", "09:30"], service_min=200, tier="silver"),
                job("S2", "L1", ["12:30", "13:00"], service_min=200, tier="silver"),
                job("GOLD", "L1", ["09:00", "13:00"], service_min=400, tier="gold"),
            ],
        )
    )
    before = hand_plan(problem, {"T1": ["S1", "S2"]}, ["GOLD"])
    assert blocking_swaps(problem, before, PARAMS) == []  # no single removal is enough
    after = checked(problem, repair(problem, before, PARAMS))
    assert after.assignment() == {"GOLD": "T1"}
    assert sorted(u.job for u in after.unassigned) == ["S1", "S2"]


def test_the_job_taken_out_is_placed_elsewhere_if_it_fits():
    """T2 cannot do the diamond's repair work but has room for the normal install."""
    problem = parse_scenario(
        scenario(
            [tech("T1", ["bb_install", "bb_repair"]), tech("T2", ["bb_install"])],
            [
                job("NORM", "L1", ["09:00", "09:30"], service_min=240),
                job(
                    "DIA",
                    "L4",
                    ["09:00", "09:30"],
                    service_min=240,
                    tier="diamond",
                    skill="bb_repair",
                ),
            ],
        )
    )
    before = hand_plan(problem, {"T1": ["NORM"]}, ["DIA"])
    after = checked(problem, repair(problem, before, PARAMS))
    assert after.assignment() == {"DIA": "T1", "NORM": "T2"}
    assert after.unassigned == ()


def test_a_job_of_the_same_tier_moves_over_to_make_room():
    """Only T1 can do the repair; its day is full with an install T2 could do. No swap
    applies (same tier), so only moving the install serves both."""
    problem = parse_scenario(
        scenario(
            [tech("T1", ["bb_install", "bb_repair"]), tech("T2", ["bb_install"])],
            [
                job("INST", "L1", ["09:00", "09:30"], service_min=240),
                job("REP", "L4", ["09:00", "09:30"], service_min=240, skill="bb_repair"),
            ],
        )
    )
    before = hand_plan(problem, {"T1": ["INST"]}, ["REP"])
    assert blocking_swaps(problem, before, PARAMS) == []  # the swap pass alone is done
    assert repair(problem, before, PARAMS, relocate=False).assignment() == {"INST": "T1"}
    after = checked(problem, repair(problem, before, PARAMS))
    assert after.assignment() == {"REP": "T1", "INST": "T2"}
    assert after.unassigned == ()


def test_move_3_looks_for_a_new_place_only_for_a_stop_whose_room_fits(monkeypatch):
    """Looking for another route for a stop searches every route: it is asked only for the
    stop whose removal lets the left-out job in (INST), not for one that does not (AFT)."""
    problem = parse_scenario(
        scenario(
            [tech("T1", ["bb_install", "bb_repair"]), tech("T2", ["bb_install"])],
            [
                job("INST", "L1", ["09:00", "09:30"], service_min=240),
                job("AFT", "L2", ["14:30", "15:00"], service_min=30),
                job("REP", "L4", ["09:00", "09:30"], service_min=240, skill="bb_repair"),
            ],
        )
    )
    asked: list[str] = []
    real = tier_repair._Moves.elsewhere

    def counted(self, job, owner):
        asked.append(job.id)
        return real(self, job, owner)

    monkeypatch.setattr(tier_repair._Moves, "elsewhere", counted)
    before = hand_plan(problem, {"T1": ["INST", "AFT"]}, ["REP"])
    after = checked(problem, repair(problem, before, PARAMS))
    assert after.assignment() == {"REP": "T1", "AFT": "T1", "INST": "T2"}
    assert asked == ["INST"]


def test_the_pass_says_whether_it_proves_dsp01():
    """Proved when moves 1 and 2 ran to their end; a deadline already past proves nothing."""
    problem = diamond_behind_normal()
    before = hand_plan(problem, {"T1": ["NORM"]}, ["DIA"])
    plan, proved = repair_proved(problem, before, PARAMS)
    assert proved and plan.assignment() == {"DIA": "T1"}
    plan, proved = repair_proved(problem, before, PARAMS, deadline=time.perf_counter() - 1)
    assert not proved and plan.assignment() == {"NORM": "T1"}


def test_a_job_out_for_the_margin_alone_is_put_back():
    problem = parse_scenario(
        scenario(
            [tech("T1", ["bb_install"])],
            [job("A", "L1", ["09:00", "09:00"]), job("B", "L2", ["10:10", "10:10"])],
        )
    )
    before = hand_plan(problem, {"T1": ["A"]}, ["B"])
    after = checked(problem, repair(problem, before, PARAMS))
    assert after.assignment() == {"A": "T1", "B": "T1"}
    assert after.unassigned == ()


def test_the_solver_applies_the_pass_in_both_modes():
    data = scenario(
        [tech("T1", ["bb_install"])],
        [
            job("NORM", "L1", ["09:00", "09:30"], service_min=240),
            job("DIA", "L4", ["09:00", "09:30"], service_min=240, tier="diamond"),
        ],
    )
    problem = parse_scenario(data)
    for params in (PARAMS, REPEATABLE):
        plan = checked(problem, solve(problem, params=params, time_limit=1.0, seed=1))
        assert plan.assignment() == {"DIA": "T1"}


def random_day(seed: int) -> dict:
    """Two technicians, 16 jobs: more work than the day holds."""
    rng = random.Random(f"tier-repair:{seed}")
    brk = {"earliest": "11:30", "latest": "13:30", "minutes": 30}
    techs = [
        tech("T1", ["bb_install", "bb_repair"], **{"break": brk}),
        tech("T2", ["bb_install"], start="L5", end="L5"),
    ]
    jobs = []
    for k in range(16):
        start = rng.randrange(8 * 60 + 30, 16 * 60, 30)
        width = rng.choice([0, 30, 60, 180])
        w = [
            f"{start // 60:02d}:{start % 60:02d}",
            f"{(start + width) // 60:02d}:{(start + width) % 60:02d}",
        ]
        jobs.append(
            job(
                f"J{k}",
                f"L{rng.randrange(6)}",
                w,
                service_min=rng.choice([30, 60, 90, 120]),
                skill=rng.choice(["bb_install", "bb_repair"]),
                tier=rng.choice(["diamond", "gold", "silver", "normal", "normal"]),
            )
        )
    return scenario(techs, jobs)


@pytest.mark.parametrize("seed", range(6))
def test_after_the_pass_no_left_out_job_can_replace_a_lower_one(seed):
    problem = parse_scenario(random_day(seed))
    plan = checked(problem, solve(problem, params=REPEATABLE, time_limit=1.0, seed=seed))
    assert any(u.code == "capacity" for u in plan.unassigned)  # the day is overloaded
    assert blocking_swaps(problem, plan, PARAMS) == []


@pytest.mark.parametrize("seed", range(6))
def test_the_pass_never_lowers_the_served_weight(seed):
    """From a deliberately poor plan (lowest tiers first, greedily), the pass only gains."""
    problem = parse_scenario(random_day(seed))
    techs = {t.id: t for t in problem.technicians}
    seqs: dict[str, list] = {t: [] for t in techs}
    left = []
    for j in sorted(problem.jobs, key=lambda j: (-ord(j.tier.value[0]), j.id)):
        for tid, seq in seqs.items():
            if j.skill not in techs[tid].skills:
                continue
            trial = sorted([*seq, j], key=lambda x: x.window[0])
            if schedule(techs[tid], trial, problem.travel, PARAMS.timing) is not None:
                seqs[tid] = trial
                break
        else:
            left.append(j.id)
    before = hand_plan(problem, {t: [j.id for j in s] for t, s in seqs.items() if s}, left)
    after = checked(problem, repair(problem, before, PARAMS))

    def weight(p):
        tiers = {j.id: j.tier for j in problem.jobs}
        return sum(PARAMS.weight(tiers[j]) for j in p.assignment())

    assert weight(after) >= weight(before)
    assert blocking_swaps(problem, after, PARAMS) == []
