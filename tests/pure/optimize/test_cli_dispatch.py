"""``guifan dispatch solve``: the issue 4 contract."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from guifan.cli import app
from tests.pure.optimize.scenarios import day, with_change

runner = CliRunner()
HHMM = re.compile(r"^\d\d:\d\d$")


def run(tmp_path, data, *extra):
    src = tmp_path / "day.json"
    src.write_text(json.dumps(data) if not isinstance(data, str) else data)
    out = tmp_path / "plan.json"
    res = runner.invoke(
        app,
        [
            "dispatch",
            "solve",
            str(src),
            "--time-limit",
            "1",
            "--seed",
            "2",
            "--out",
            str(out),
            *extra,
        ],
    )
    return res, out


def test_it_writes_the_plan_shape(tmp_path):
    res, out = run(tmp_path, day())
    assert res.exit_code == 0, res.output
    plan = json.loads(out.read_text())
    assert set(plan) == {"routes", "unassigned", "travel_km"}
    jobs = [s["job"] for r in plan["routes"] for s in r["stops"]]
    jobs += [u["job"] for u in plan["unassigned"]]
    assert sorted(jobs) == [f"J{i}" for i in range(1, 7)]
    for route in plan["routes"]:
        assert set(route) <= {"technician", "stops", "break"}
        for stop in route["stops"]:
            assert set(stop) == {"job", "depart", "arrive", "start", "end"}
            assert all(HHMM.match(stop[k]) for k in ("depart", "arrive", "start", "end"))
    t1 = next(r for r in plan["routes"] if r["technician"] == "T1")
    assert set(t1["break"]) == {"start", "end"}
    assert isinstance(plan["travel_km"], float | int)


def test_a_schema_error_names_the_path(tmp_path):
    res, out = run(tmp_path, with_change(day(), "jobs.2.window.1", "10:61"))
    assert res.exit_code == 2
    assert "jobs[2].window[1]" in res.output
    assert "Traceback" not in res.output
    assert not out.exists()


def test_a_location_missing_from_the_matrix_is_named(tmp_path):
    res, _ = run(tmp_path, with_change(day(), "technicians.1.end", "HQ"))
    assert res.exit_code == 2
    assert "technicians[1].end" in res.output


def test_broken_json_is_an_error_not_a_traceback(tmp_path):
    res, _ = run(tmp_path, '{"date": "2025-06-02", ')
    assert res.exit_code == 2
    assert "not readable JSON" in res.output


def test_unserviceable_jobs_are_listed_with_reasons(tmp_path):
    data = with_change(day(), "jobs.0.skill", "fttr_install")
    res, out = run(tmp_path, data)
    assert res.exit_code == 0
    plan = json.loads(out.read_text())
    assert plan["unassigned"] == [
        {"job": "J1", "reason": "no certified technician for skill fttr_install (DSP-05)"}
    ]


def test_a_window_ending_before_it_starts_is_unassigned_and_the_day_planned(tmp_path):
    res, out = run(tmp_path, with_change(day(), "jobs.2.window.1", "10:30"))
    assert res.exit_code == 0, res.output
    plan = json.loads(out.read_text())
    assert [u["job"] for u in plan["unassigned"]] == ["J3"]
    assert "ends before it starts" in plan["unassigned"][0]["reason"]
    routed = sorted(s["job"] for r in plan["routes"] for s in r["stops"])
    assert routed == ["J1", "J2", "J4", "J5", "J6"]


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_a_time_limit_of_zero_or_less_is_refused(tmp_path, limit):
    src = tmp_path / "day.json"
    src.write_text(json.dumps(day()))
    out = tmp_path / "plan.json"
    res = runner.invoke(
        app, ["dispatch", "solve", str(src), "--time-limit", limit, "--out", str(out)]
    )
    assert res.exit_code != 0
    assert "time-limit" in res.output or "time_limit" in res.output
    assert "Traceback" not in res.output
    assert not out.exists()


@pytest.mark.parametrize(("value", "shown"), [(-3, "-3"), ("NaN", "nan")])
def test_a_negative_or_nan_matrix_entry_names_the_path(tmp_path, value, shown):
    data = day()
    data["travel"]["minutes"][1][3] = "__X__"
    text = json.dumps(data).replace('"__X__"', str(value))
    res, out = run(tmp_path, text)
    assert res.exit_code == 2, res.output
    assert "travel.minutes[1][3]" in res.output
    assert shown in res.output.lower()
    assert not out.exists()
