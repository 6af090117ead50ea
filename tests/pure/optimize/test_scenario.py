"""Scenario schema: every error names the JSON path of the bad field."""

from __future__ import annotations

import pytest

from guifan.optimize.scenario import ScenarioError, parse_scenario
from tests.pure.optimize.scenarios import day, with_change


def test_it_reads_a_day():
    problem = parse_scenario(day())
    assert [t.id for t in problem.technicians] == ["T1", "T2"]
    t1 = problem.technicians[0]
    assert t1.shift == (8 * 60 + 30, 17 * 60 + 30)
    assert t1.break_ is not None
    assert t1.break_.minutes == 45
    assert problem.technicians[1].break_ is None
    assert problem.jobs[0].window == (540, 600)
    assert problem.travel.travel("L0", "L3") == 30
    assert problem.travel.dist("L3", "L1") == 10


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("technicians.0.skills.1", "BB Repair", "skill code"),
        ("jobs.2.skill", "bb-repair!", "skill code"),
        ("jobs.1.window.0", "25:00", "HH:MM"),
        ("jobs.1.window", ["10:00"], "[start, end]"),
        ("jobs.3.location", "L99", "missing from travel.locations"),
        ("technicians.1.start", "X", "missing from travel.locations"),
        ("jobs.0.tier", "platinum", "diamond|gold|silver|normal"),
        ("jobs.0.service_min", -5, "whole number"),
        ("technicians.0.break.latest", "11:00", "before earliest"),
        ("technicians.0.break.minutes", 0, "whole number >= 1"),
        ("technicians.0.shift.1", "08:00", "before start"),
        ("jobs.4.technician", "T9", "unknown technician"),
        ("jobs.5.id", "J1", "duplicate"),
        ("date", "2025-13-01", "YYYY-MM-DD"),
        ("travel.minutes.3.2", "ten", "must be a number"),
        ("travel.km.1.4", -1, ">= 0"),
    ],
)
def test_a_bad_field_is_named_by_path(path, value, message):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(with_change(day(), path, value))
    expected = path.split(".")
    rendered = expected[0] + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in expected[1:])
    assert info.value.field == rendered
    assert message in info.value.message


def test_a_job_window_ending_before_it_starts_is_data_not_a_schema_error():
    problem = parse_scenario(with_change(day(), "jobs.1.window.1", "09:59"))
    assert problem.jobs[1].window == (600, 599)
    assert problem.jobs[1].window_inverted


def test_a_non_square_matrix_names_the_row():
    data = day()
    data["travel"]["minutes"][2] = data["travel"]["minutes"][2][:-1]
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data)
    assert info.value.field == "travel.minutes[2]"
    assert "square" in info.value.message


def test_a_matrix_with_missing_rows_is_refused():
    data = day()
    data["travel"]["km"] = data["travel"]["km"][:-1]
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data)
    assert info.value.field == "travel.km"


def test_a_missing_field_is_named():
    data = day()
    del data["jobs"][1]["skill"]
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data)
    assert info.value.field == "jobs[1].skill"
    assert "required" in info.value.message


def test_a_duplicate_location_is_refused():
    data = with_change(day(), "travel.locations.3", "L1")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data)
    assert info.value.field == "travel.locations[3]"
