"""Compliance arithmetic without a database: tallies, rates, day series, worst-first order."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.norms.stats import Tally, daily_series, days_between, percent, worst_first_key


def test_a_rate_is_kept_over_checked_and_none_without_checks() -> None:
    assert Tally(checked=4, kept=3).rate == 0.75
    assert Tally(checked=4, kept=3).broken == 1
    assert Tally().rate is None


def test_kept_cannot_exceed_checked() -> None:
    with pytest.raises(ValueError, match="kept must lie"):
        Tally(checked=1, kept=2)


def test_a_day_series_has_every_day_of_the_range() -> None:
    start = dt.date(2025, 5, 30)
    series = daily_series({dt.date(2025, 6, 1): Tally(2, 1)}, start, dt.date(2025, 6, 2))
    assert [p.day.day for p in series] == [30, 31, 1, 2]
    assert [p.tally.checked for p in series] == [0, 0, 2, 0]
    assert days_between(start, start - dt.timedelta(days=1)) == ()


def test_worst_first_puts_low_rates_first_and_unchecked_last() -> None:
    tallies = [Tally(4, 4), Tally(), Tally(4, 1), Tally(8, 2)]
    ordered = sorted(tallies, key=worst_first_key)
    assert ordered == [Tally(8, 2), Tally(4, 1), Tally(4, 4), Tally()]


def test_percent_shows_one_decimal_only_when_needed() -> None:
    assert (percent(2 / 3), percent(1.0), percent(0.0), percent(None)) == (
        "66.7%",
        "100%",
        "0%",
        "—",
    )
