"""The demo city's shifts: late shifts serve the evening, all with the one lunch-break rule."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from guifan.apps.workforce.models import Shift
from guifan.demo.city import city_build

pytestmark = pytest.mark.django_db


def test_late_shifts_reach_the_evening_with_the_one_break_rule():
    day = dt.date(2025, 6, 3)
    city_build(rng=random.Random(1), days=[day])
    shifts = Shift.objects.filter(date=day)
    assert shifts.count() == 40
    assert shifts.filter(end__gte=dt.time(20, 0)).count() == 8  # two per area
    # The city's people share one lunch rule (staggered rules are planned too:
    # tests/pure/optimize/test_repeatable_plan.py).
    rules = set(shifts.values_list("break_start", "break_end", "break_minutes"))
    assert len(rules) == 1
