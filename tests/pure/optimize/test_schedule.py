"""Route timing: break placement without overlap, DSP-02 departures, infeasible orders."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from guifan.optimize.problem import Break, Job, Technician, Tier
from guifan.optimize.scenario import parse_scenario
from guifan.optimize.schedule import Timing, _candidates, _first, _legs, schedule
from tests.pure.optimize.scenarios import scenario

TRAVEL = parse_scenario(scenario([], [])).travel
TIMING = Timing(5, 10)
LUNCH = Break(11 * 60 + 30, 13 * 60 + 30, 45)


def tech(**kw) -> Technician:
    base = dict(id="T", start="L0", end="L0", shift=(510, 1050), skills=frozenset({"x"}))
    return Technician(**(base | kw))


def job(jid: str, loc: str, w0: int, w1: int, service: int = 60) -> Job:
    return Job(jid, loc, (w0, w1), service, "x", Tier.NORMAL)


def test_a_break_after_the_last_stop_comes_before_the_drive_home():
    route = schedule(tech(break_=LUNCH), [job("A", "L3", 600, 600)], TRAVEL, TIMING, 1)
    assert route is not None
    assert route.break_ is not None
    assert route.stops[0].end == 660
    assert route.break_.start == 690  # waits for the earliest break start at the customer
    assert route.home == 690 + 45 + 30


def test_a_break_on_arrival_is_used_when_nothing_else_fits():
    """A ends 11:00; B (40 min away) must start 12:20-12:30 and ends after 13:30."""
    jobs = [job("A", "L1", 600, 600), job("B", "L5", 740, 750, 75)]
    route = schedule(tech(break_=LUNCH), jobs, TRAVEL, TIMING, 1)
    assert route is not None
    second = route.stops[1]
    assert (second.depart, second.arrive) == (660, 700)
    assert route.break_ is not None
    assert (route.break_.start, route.break_.end) == (700, 745)
    assert second.start == 745


def test_departures_are_back_computed():
    route = schedule(tech(), [job("A", "L2", 600, 660)], TRAVEL, TIMING)
    assert route is not None
    s = route.stops[0]
    assert (s.depart, s.arrive, s.start) == (570, 590, 600)


def test_an_order_that_misses_a_window_is_infeasible():
    jobs = [job("A", "L5", 600, 610), job("B", "L0", 620, 630)]
    assert schedule(tech(), jobs, TRAVEL, TIMING) is None


def test_a_break_that_cannot_start_in_time_is_infeasible():
    jobs = [job("A", "L1", 11 * 60, 11 * 60, 180)]
    assert schedule(tech(break_=LUNCH), jobs, TRAVEL, TIMING) is None


def test_a_late_shift_end_is_infeasible():
    assert schedule(tech(shift=(510, 650)), [job("A", "L5", 600, 600)], TRAVEL, TIMING) is None


def test_the_early_margin_is_kept_where_the_route_allows_and_never_costs_a_stop():
    """B's window is exactly when A's service ends plus the drive: no margin for B, but B stays."""
    jobs = [job("A", "L1", 540, 540), job("B", "L2", 610, 610)]
    route = schedule(tech(), jobs, TRAVEL, TIMING)
    assert route is not None
    a, b = route.stops
    assert a.start - a.arrive >= TIMING.early_min
    assert (b.arrive, b.start) == (610, 610)


def test_the_margin_is_given_up_only_where_it_must_be():
    """A ends 10:00; B (10:10 exactly) cannot have the margin; C later still gets it."""
    jobs = [job("A", "L1", 540, 540), job("B", "L2", 610, 610), job("C", "L3", 690, 720)]
    route = schedule(tech(), jobs, TRAVEL, TIMING)
    assert route is not None
    early = [s.start - s.arrive >= TIMING.early_min for s in route.stops]
    assert early == [True, False, True]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["L0", "L1", "L2", "L3", "L4", "L5"]),
            st.integers(480, 1000),
            st.integers(0, 120),
            st.integers(10, 90),
        ),
        max_size=7,
    ),
    st.lists(st.sampled_from([0, 5]), min_size=7, max_size=7),
    st.one_of(st.none(), st.integers(0, 7)),
)
def test_break_slots_left_untried_could_not_have_fitted(rows, margins, hint):
    """The slots :func:`_first` skips (reached after the break's latest start or after a
    missed window) fail whatever the break does: it finds what trying every slot finds."""
    t = tech(break_=LUNCH)
    jobs = [job(f"J{i}", loc, w0, w0 + width, svc) for i, (loc, w0, width, svc) in enumerate(rows)]
    m = margins[: len(jobs)]
    every = next(
        (
            found
            for pos, mode in _candidates(t, len(jobs), hint)
            if (found := _legs(t, jobs, TRAVEL, m, pos=pos, mode=mode)) is not None
        ),
        None,
    )
    assert _first(t, jobs, TRAVEL, m, hint) == every
