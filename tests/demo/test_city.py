"""The demo city's shifts: late shifts serve the evening, one break rule keeps plans repeatable."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from guifan.apps.workforce.models import Shift
from guifan.demo.city import city_build
from guifan.optimize.pyvrp_dispatch import break_spec

pytestmark = pytest.mark.django_db


def test_late_shifts_reach_the_evening_with_the_one_break_rule():
    day = dt.date(2025, 6, 3)
    city_build(rng=random.Random(1), days=[day])
    shifts = Shift.objects.filter(date=day)
    assert shifts.count() == 40
    assert shifts.filter(end__gte=dt.time(20, 0)).count() == 8  # two per area
    # PyVRP's repeatable plan encodes one break rule; a second sends plans to VROOM.
    rules = set(shifts.values_list("break_start", "break_end", "break_minutes"))
    assert len(rules) == 1


def test_two_break_rules_are_refused_by_the_repeatable_encoding():
    from guifan.optimize.problem import Break, Problem, Technician

    techs = tuple(
        Technician(f"T{i}", "h", "h", (510, 1050), frozenset({"x"}), break_=Break(b, b + 120, 45))
        for i, b in enumerate((690, 990))
    )
    with pytest.raises(ValueError, match="different break rules"):
        break_spec(Problem("2025-06-03", techs, (), None))  # type: ignore[arg-type]
