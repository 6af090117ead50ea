"""Intraday re-plan: started jobs stay, few moves, DSP-04 call-ahead, DSP-03 proposals."""

from __future__ import annotations

from guifan.norms import NormSet
from guifan.optimize.problem import Problem
from guifan.optimize.replan import (
    ReplanParams,
    Started,
    kept_late_risks,
    late_risks,
    predict_starts,
    replan,
)
from guifan.optimize.result import Plan, Route, Stop
from guifan.optimize.scenario import parse_scenario
from guifan.optimize.solve import solve
from guifan.optimize.verify import verify
from tests.pure.optimize.scenarios import job, scenario, tech

PARAMS = ReplanParams.from_norms(NormSet())


def day(extra_jobs=()):
    return parse_scenario(
        scenario(
            [tech("T1", ["bb_install"]), tech("T2", ["bb_install"])],
            [
                job("J1", "L1", ["09:00", "09:00"]),
                job("J2", "L2", ["10:15", "10:30"]),
                job("J3", "L3", ["14:00", "15:00"]),
                *extra_jobs,
            ],
        )
    )


PREVIOUS = Plan(
    routes=(
        Route(
            "T1",
            (
                Stop("J1", 520, 530, 540, 600),
                Stop("J2", 605, 615, 615, 675),
                Stop("J3", 820, 830, 840, 900),
            ),
            None,
            930,
        ),
    ),
    unassigned=(),
    travel_km=30.0,
)


def test_an_overrun_predicts_the_next_stop_late():
    started = [Started("J1", "T1", 640)]
    pred = predict_starts(day(), PREVIOUS, now=600, started=started, ill=frozenset())
    assert pred["J2"] == 650  # free 10:40, 10 minutes' drive
    assert pred["J3"] == 840


def test_a_late_stop_gets_a_call_ahead_15_minutes_before_its_window():
    res = replan(
        day(),
        PREVIOUS,
        now=600,
        params=PARAMS,
        started=[Started("J1", "T1", 640)],
        time_limit=1,
        seed=1,
    )
    assert [(c.job, c.technician, c.due, c.overdue) for c in res.call_ahead] == [
        ("J2", "T1", 615 - 15, False)
    ]


def test_the_call_ahead_lead_comes_from_the_norm_catalog():
    params = ReplanParams.from_norms(NormSet(overrides={("DSP-04", "late_call_lead_minutes"): 30}))
    res = replan(
        day(),
        PREVIOUS,
        now=600,
        params=params,
        started=[Started("J1", "T1", 640)],
        time_limit=1,
        seed=1,
    )
    assert res.call_ahead[0].due == 585
    assert res.call_ahead[0].overdue is True


def test_a_late_stop_is_reassigned_and_the_rest_stays():
    problem = day()
    res = replan(
        problem,
        PREVIOUS,
        now=600,
        params=PARAMS,
        started=[Started("J1", "T1", 640)],
        time_limit=1,
        seed=1,
    )
    assert res.plan.assignment() == {"J1": "T1", "J2": "T2", "J3": "T1"}
    assert [(p.job, p.action, p.technician) for p in res.proposals] == [("J2", "reassign", "T2")]
    assert res.churn == 1
    t1 = next(r for r in res.plan.routes if r.technician == "T1")
    assert t1.stops[0] == Stop("J1", 520, 530, 540, 640)


def test_an_ill_technicians_jobs_move_or_are_rescheduled():
    res = replan(
        day(), PREVIOUS, now=500, params=PARAMS, ill=frozenset({"T1"}), time_limit=1, seed=1
    )
    assert {c.job for c in res.call_ahead} == {"J1", "J2", "J3"}
    moved = {p.job: p.action for p in res.proposals}
    assert moved["J3"] == "reassign"
    assert set(res.plan.assignment().values()) == {"T2"}
    rescheduled = {p.job for p in res.proposals if p.action == "reschedule"}
    assert rescheduled == {u.job for u in res.plan.unassigned}


def test_an_urgent_job_is_added_without_moving_others():
    problem = day([job("URGENT", "L1", ["11:00", "12:00"], tier="diamond")])
    res = replan(problem, PREVIOUS, now=500, params=PARAMS, time_limit=1, seed=1)
    assert "URGENT" in res.plan.assignment()
    assert res.churn == 0
    assert res.call_ahead == ()
    report = verify(problem, res.plan, PARAMS.dispatch.timing)
    assert report.errors == ()


def _crowded_day():
    """T1 falls ill with a diamond visit T2 can take only by dropping its two on-time ones
    (the diamond weighs 8, the two normal visits 2)."""
    problem = parse_scenario(
        scenario(
            [tech("T1", ["bb_install"]), tech("T2", ["bb_install"])],
            [
                job("D", "L1", ["10:00", "10:00"], tier="diamond", service_min=90),
                # N1 ends at 10:10 at the earliest: D (10:00 sharp) cannot follow it.
                job("N1", "L1", ["09:10", "09:15"]),
                job("N2", "L1", ["11:00", "11:15"]),
            ],
        )
    )
    previous = Plan(
        routes=(
            Route("T1", (Stop("D", 560, 570, 600, 690),), None, 700),
            Route(
                "T2", (Stop("N1", 520, 530, 550, 610), Stop("N2", 610, 640, 660, 720)), None, 730
            ),
        ),
        unassigned=(),
        travel_km=20.0,
    )
    return problem, previous


def test_the_naive_replan_of_the_crowded_day_doubles_its_late_risks():
    """The constructed day is one where the solver alone trades two on-time visits for one."""
    problem, previous = _crowded_day()
    ill = frozenset({"T1"})
    free = solve(
        Problem(
            problem.date,
            tuple(t for t in problem.technicians if t.id not in ill),
            problem.jobs,
            problem.travel,
        ),
        params=PARAMS.dispatch,
        time_limit=1,
        seed=1,
    )
    todo = {j.id for j in problem.jobs}
    predicted = predict_starts(problem, previous, now=480, started=(), ill=ill)
    assert kept_late_risks(problem, predicted, todo) == {"D"}
    assert late_risks(free, problem, todo) == {"N1", "N2"}


def test_a_replan_never_ends_with_more_late_risks_than_keeping_the_plan():
    problem, previous = _crowded_day()
    res = replan(
        problem, previous, now=480, params=PARAMS, ill=frozenset({"T1"}), time_limit=1, seed=1
    )
    assert late_risks(res.plan, problem, {"D", "N1", "N2"}) == {"D"}
    assert res.plan.assignment() == {"N1": "T2", "N2": "T2"}
    assert res.churn == 0
    assert [(p.job, p.action) for p in res.proposals] == [("D", "reschedule")]
    assert [c.job for c in res.call_ahead] == ["D"]


def test_when_every_run_is_later_the_plan_in_force_is_kept(monkeypatch):
    """The final guard: a solver that places nothing leaves the plan as it was."""
    monkeypatch.setattr("guifan.optimize.replan.solve", lambda *a, **k: Plan((), (), 0.0))
    problem, previous = _crowded_day()
    res = replan(
        problem, previous, now=480, params=PARAMS, ill=frozenset({"T1"}), time_limit=1, seed=1
    )
    t2 = next(r for r in res.plan.routes if r.technician == "T2")
    assert t2.stops == previous.routes[1].stops
    assert res.churn == 0
