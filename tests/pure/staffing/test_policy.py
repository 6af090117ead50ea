from __future__ import annotations

from guifan.norms import NormSet
from guifan.staffing.policy import call_next, targets_from_norms

TARGETS = {"star67": 8.0, "star5": 15.0, "normal": 30.0}


def test_targets_come_from_hal_02():
    assert targets_from_norms(NormSet()) == TARGETS


def test_nobody_waiting_calls_nobody():
    assert call_next(10.0, {"star67": None, "star5": None, "normal": None}, TARGETS) is None


def test_star_customers_go_first_when_all_just_arrived():
    oldest = {"star67": 10.0, "star5": 10.0, "normal": 10.0}
    assert call_next(10.0, oldest, TARGETS) == "star67"
    assert call_next(10.0, {**oldest, "star67": None}, TARGETS) == "star5"


def test_star_beats_a_normal_customer_who_waited_longer_but_less_of_the_target():
    # star67 waited 4 of 8 minutes (50 %), normal 10 of 30 (33 %).
    assert call_next(10.0, {"star67": 6.0, "star5": None, "normal": 0.0}, TARGETS) == "star67"


def test_an_old_normal_customer_near_the_target_beats_a_fresh_star_one():
    # normal waited 25 of 30 minutes (83 %), star67 just arrived.
    oldest = {"star67": 30.0, "star5": 29.0, "normal": 5.0}
    assert call_next(30.0, oldest, TARGETS) == "normal"


def test_strict_priority_ignores_the_wait():
    oldest = {"star67": 30.0, "star5": 29.0, "normal": 5.0}
    assert call_next(30.0, oldest, TARGETS, "priority") == "star67"


def test_fifo_calls_the_oldest_ticket():
    oldest = {"star67": 30.0, "star5": 29.0, "normal": 5.0}
    assert call_next(30.0, oldest, TARGETS, "fifo") == "normal"
    assert call_next(30.0, {**oldest, "normal": None}, TARGETS, "fifo") == "star5"
