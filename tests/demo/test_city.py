"""The demo city's shifts: late shifts serve the evening and break in the afternoon."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from guifan.apps.workforce.models import Shift
from guifan.demo.city import city_build

pytestmark = pytest.mark.django_db


def test_late_shifts_reach_the_evening_and_break_in_the_afternoon():
    day = dt.date(2025, 6, 3)
    city_build(rng=random.Random(1), days=[day])
    shifts = Shift.objects.filter(date=day)
    assert shifts.count() == 40
    assert shifts.filter(end__gte=dt.time(20, 0)).count() == 8  # two per area
    # Two break rules: the desk's repeatable plans encode both (ADR 0018 addendum; the
    # same-seed test in test_demo.py fails if a plan falls back to VROOM and changes).
    rules = set(shifts.values_list("break_start", "break_end", "break_minutes"))
    assert rules == {
        (dt.time(11, 30), dt.time(13, 30), 45),
        (dt.time(15, 30), dt.time(17, 30), 45),
    }
    late = shifts.filter(end__gte=dt.time(20, 0)).values_list("break_start", flat=True)
    assert set(late) == {dt.time(15, 30)}
