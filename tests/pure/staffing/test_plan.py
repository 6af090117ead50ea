from __future__ import annotations

import pytest

from guifan.errors import ValidationFailed
from guifan.staffing.csvio import ClassRow, IntervalRows
from guifan.staffing.erlang import class_waits
from guifan.staffing.plan import counters_min, interval_loads, plan_build

TARGETS = {"star67": 8.0, "star5": 15.0, "normal": 30.0}


def _interval(star67: float, star5: float, normal: float, service: float = 6.0) -> IntervalRows:
    rows = tuple(
        ClassRow(i + 1, name, n, service)
        for i, (name, n) in enumerate((("star67", star67), ("star5", star5), ("normal", normal)))
    )
    return IntervalRows("09:00", 30.0, rows)


def _counters(interval: IntervalRows, level: float = 0.9) -> int:
    (plan,) = plan_build([interval], targets=TARGETS, service_level=level)
    return plan.counters


def test_the_advice_is_the_smallest_count_that_meets_the_level():
    interval = _interval(2, 6, 40)
    c = _counters(interval)
    classes = interval_loads(interval, TARGETS)
    assert all(w.within_target >= 0.9 for w in class_waits(classes, c))
    assert any(w.within_target < 0.9 for w in class_waits(classes, c - 1))


def test_more_arrivals_never_need_fewer_counters():
    for cls in range(3):
        previous = 0
        for extra in range(0, 120, 3):
            counts = [2.0, 6.0, 40.0]
            counts[cls] += extra
            c = _counters(_interval(*counts))
            assert c >= previous
            previous = c


def test_a_higher_service_level_never_needs_fewer_counters():
    interval = _interval(5, 10, 80, 8.0)
    counts = [_counters(interval, level) for level in (0.5, 0.8, 0.9, 0.95, 0.99)]
    assert counts == sorted(counts)
    assert counts[0] < counts[-1]


def test_longer_services_need_more_counters():
    assert _counters(_interval(2, 6, 40, 10.0)) > _counters(_interval(2, 6, 40, 6.0))


def test_missing_classes_have_no_arrivals_and_do_not_constrain():
    only_normal = IntervalRows("10:00", 30.0, (ClassRow(1, "normal", 40, 6.0),))
    classes = interval_loads(only_normal, TARGETS)
    assert [k.rate for k in classes] == [0.0, 0.0, pytest.approx(40 / 30)]
    assert counters_min(classes, service_level=0.9, max_counters=40) is not None
    (plan,) = plan_build([only_normal], targets=TARGETS)
    assert [w.name for w in plan.predicted] == ["star67", "star5", "normal"]
    assert plan.predicted[0].mean_wait < plan.predicted[2].mean_wait


def test_an_empty_interval_gets_one_counter_and_no_wait():
    (plan,) = plan_build([_interval(0, 0, 0)], targets=TARGETS)
    assert plan.counters == 1
    assert all(w.mean_wait == 0 and w.within_target == 1 for w in plan.predicted)


def test_an_offered_load_beyond_the_counters_names_the_busiest_row():
    with pytest.raises(ValidationFailed) as caught:
        plan_build([_interval(2, 6, 300)], targets=TARGETS, max_counters=40)
    error = caught.value
    assert (error.code, error.field, error.extra["row"]) == ("hall_plan.unservable", "arrivals", 3)
    assert "row 3, field arrivals" in error.message
    assert "offered load 61.60 Erlangs" in error.message


def test_a_load_just_under_the_counters_that_misses_the_level_is_refused():
    # 39.6 Erlangs on 40 counters: stable, but far from 90 % within target.
    with pytest.raises(ValidationFailed, match="no count up to 40 counters"):
        plan_build([_interval(0, 0, 198)], targets=TARGETS, max_counters=40)


def test_a_service_longer_than_the_interval_blames_service_min():
    interval = IntervalRows("09:00", 30.0, (ClassRow(1, "normal", 2, 900.0),))
    with pytest.raises(ValidationFailed) as caught:
        plan_build([interval], targets=TARGETS, max_counters=40)
    assert caught.value.field == "service_min"


@pytest.mark.parametrize(("level", "field"), [(0.0, "service_level"), (1.0, "service_level")])
def test_the_service_level_must_be_a_share(level, field):
    with pytest.raises(ValidationFailed) as caught:
        plan_build([_interval(1, 1, 1)], targets=TARGETS, service_level=level)
    assert caught.value.field == field


def test_max_counters_must_be_positive():
    with pytest.raises(ValidationFailed, match="max-counters"):
        plan_build([_interval(1, 1, 1)], targets=TARGETS, max_counters=0)


def test_the_simulated_policy_confirms_the_advice():
    """At the advised count the simulated slack policy meets 0.9 for every class; one fewer
    counter misses it."""
    from guifan.staffing.simulate import simulate

    interval = _interval(2, 6, 40)
    c = _counters(interval)
    classes = interval_loads(interval, TARGETS)
    at_c = simulate(classes, c, seed=2, customers=60_000).classes
    below = simulate(classes, c - 1, seed=2, customers=60_000).classes
    assert all(k.within_target >= 0.9 for k in at_c)
    assert any(k.within_target < 0.9 for k in below)
