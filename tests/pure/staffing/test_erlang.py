from __future__ import annotations

import math

import pytest

from guifan.staffing.erlang import (
    ClassLoad,
    class_waits,
    erlang_b,
    erlang_c,
    fcfs_mean_wait,
    fcfs_wait_within,
)


def _erlang_c_closed_form(c: int, a: float) -> float:
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_erlang_c_matches_textbook_values():
    # M/M/2 at a = 1: C = 1/3; M/M/3 at a = 2: C = 4/9; M/M/1: C = rho.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9)
    assert erlang_c(1, 0.7) == pytest.approx(0.7)


def test_erlang_b_matches_textbook_value():
    # Erlang B, 5 trunks, 3 Erlangs: 0.1101 (standard tables).
    assert erlang_b(5, 3.0) == pytest.approx(0.11005, abs=1e-4)


@pytest.mark.parametrize(("c", "a"), [(5, 4.2), (10, 8.0), (20, 17.5), (35, 30.1)])
def test_erlang_c_matches_the_closed_form(c, a):
    assert erlang_c(c, a) == pytest.approx(_erlang_c_closed_form(c, a), rel=1e-9)


def test_call_centre_example():
    # The classic worked example: 100 calls per 30 min of 180 s (a = 10 Erlangs), 14 agents:
    # P(wait) 17.41 %, average speed of answer 7.8 s, 88.8 % answered within 20 s.
    assert erlang_c(14, 10.0) == pytest.approx(0.1741, abs=1e-4)
    assert fcfs_mean_wait(14, 10.0, 3.0) * 60 == pytest.approx(7.84, abs=0.01)
    assert fcfs_wait_within(14, 10.0, 3.0, 20 / 60) == pytest.approx(0.888, abs=1e-3)


def test_overload_waits_forever():
    assert erlang_c(4, 4.0) == 1.0
    assert fcfs_mean_wait(4, 5.0, 1.0) == math.inf
    waits = class_waits([ClassLoad("normal", 1.0, 5.0, 30.0)], 5)
    assert waits[0].mean_wait == math.inf
    assert waits[0].within_target == 0.0


def test_one_class_is_fcfs_whatever_the_discipline():
    one = [ClassLoad("normal", 0.8, 5.0, 30.0)]
    for discipline in ("slack", "priority", "fifo"):
        (w,) = class_waits(one, 5, discipline)
        assert w.mean_wait == pytest.approx(fcfs_mean_wait(5, 4.0, 5.0))
        assert w.within_target == pytest.approx(fcfs_wait_within(5, 4.0, 5.0, 30.0))


THREE = (
    ClassLoad("star67", 0.1, 6.0, 8.0),
    ClassLoad("star5", 0.3, 6.0, 15.0),
    ClassLoad("normal", 1.2, 6.0, 30.0),
)


@pytest.mark.parametrize("discipline", ["slack", "priority"])
def test_priority_waits_keep_the_conservation_law(discipline):
    """With equal service times the load-weighted mean wait equals the FCFS wait."""
    waits = class_waits(THREE, 11, discipline)
    fcfs = fcfs_mean_wait(11, 9.6, 6.0)
    weighted = sum(k.load * w.mean_wait for k, w in zip(THREE, waits, strict=True)) / 9.6
    assert weighted == pytest.approx(fcfs, rel=1e-9)


def test_strict_priority_matches_cobham():
    rho = [k.load / 11 for k in THREE]
    w0 = fcfs_mean_wait(11, 9.6, 6.0) * (1 - 9.6 / 11)  # M/M/c: W0 = C / (c mu)
    expected = [
        w0 / (1 * (1 - rho[0])),
        w0 / ((1 - rho[0]) * (1 - rho[0] - rho[1])),
        w0 / ((1 - rho[0] - rho[1]) * (1 - sum(rho))),
    ]
    got = [w.mean_wait for w in class_waits(THREE, 11, "priority")]
    assert got == pytest.approx(expected, rel=1e-9)


def test_slack_sits_between_strict_priority_and_fifo():
    slack = class_waits(THREE, 11, "slack")
    strict = class_waits(THREE, 11, "priority")
    fifo = class_waits(THREE, 11, "fifo")
    for i in (0, 1):  # star classes: slower than strict priority, faster than FIFO
        assert strict[i].mean_wait < slack[i].mean_wait < fifo[i].mean_wait
    assert fifo[2].mean_wait < slack[2].mean_wait < strict[2].mean_wait
    assert slack[0].mean_wait < slack[1].mean_wait < slack[2].mean_wait


def test_slack_with_equal_targets_is_fifo():
    same = [ClassLoad("a", 0.5, 4.0, 10.0), ClassLoad("b", 0.5, 4.0, 10.0)]
    waits = class_waits(same, 5, "slack")
    assert [w.mean_wait for w in waits] == pytest.approx([fcfs_mean_wait(5, 4.0, 4.0)] * 2)


def test_a_class_without_arrivals_gets_the_wait_of_a_single_customer():
    with_none = (ClassLoad("star67", 0.0, 6.0, 8.0), *THREE[1:])
    waits = class_waits(with_none, 10, "slack")
    assert 0 < waits[0].mean_wait < waits[1].mean_wait
    assert 0 < waits[0].within_target <= 1


def test_no_arrivals_means_no_wait():
    waits = class_waits([ClassLoad("normal", 0.0, 5.0, 30.0)], 1)
    assert waits[0].mean_wait == 0.0
    assert waits[0].within_target == 1.0


def test_more_counters_never_worsen_any_class():
    previous = class_waits(THREE, 10)
    for c in range(11, 16):
        current = class_waits(THREE, c)
        for old, new in zip(previous, current, strict=True):
            assert new.mean_wait < old.mean_wait
            assert new.within_target >= old.within_target
        previous = current


def test_class_load_rejects_bad_values():
    with pytest.raises(ValueError, match="rate"):
        ClassLoad("normal", -1.0, 5.0, 30.0)
    with pytest.raises(ValueError, match="service"):
        ClassLoad("normal", 1.0, 0.0, 30.0)
