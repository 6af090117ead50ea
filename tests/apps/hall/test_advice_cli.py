"""``guifan hall advise``: the JSON document, today's weekday by default, exit 2 on bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from guifan.cli import app
from tests.apps.hall.test_advice import four_mondays, make_hall

pytestmark = pytest.mark.django_db


def advise(*args: str):
    return CliRunner().invoke(app, ["hall", "advise", *args])


def test_it_prints_the_advice_as_json(clock):
    four_mondays(make_hall())
    result = advise("H1", "--weekday", "1", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["hall"], doc["weekday"], doc["days"], doc["service_level"]) == ("H1", 1, 4, 0.9)
    counters = {i["start"]: i["counters"] for i in doc["intervals"]}
    assert counters["09:00"] < counters["10:00"]
    assert set(doc["intervals"][0]["predicted"]) == {"star67", "star5", "normal"}


def test_the_weekday_defaults_to_today(clock):
    four_mondays(make_hall())  # the clock's today is a Monday
    doc = json.loads(advise("H1", "--weeks", "2", "--json").stdout)
    assert (doc["weekday"], doc["days"]) == (1, 2)


def test_without_json_it_prints_a_line_per_half_hour(clock):
    four_mondays(make_hall())
    lines = advise("H1").stdout.splitlines()
    assert lines[0].startswith("H1 Mon: from 4 days")
    assert [line[:5] for line in lines[1:]] == ["09:00", "09:30", "10:00"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["NOPE"], "hall"),
        (["H1", "--weekday", "9"], "weekday"),
        (["H1", "--weekday", "3"], "tickets"),
        (["H1", "--service-level", "1.5"], "service_level"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(clock, args, field):
    four_mondays(make_hall())
    result = advise(*args, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {field}:")
