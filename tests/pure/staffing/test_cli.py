from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from guifan.cli import app

HEADER = "start,minutes,class,arrivals,service_min\n"
DAY = (
    HEADER + "09:00,30,star67,2,6\n09:00,30,star5,6,6\n09:00,30,normal,40,6\n"
    "09:30,30,normal,60,8\n"
    "10:00,30,star67,0,6\n"
)


def _run(tmp_path, text: str, *options: str):
    path = tmp_path / "arrivals.csv"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["hall", "plan", "--arrivals", str(path), *options])


def test_the_json_has_exactly_the_contract_keys(tmp_path):
    result = _run(tmp_path, DAY, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"intervals", "service_level"}
    assert doc["service_level"] == 0.9
    assert [i["start"] for i in doc["intervals"]] == ["09:00", "09:30", "10:00"]
    for interval in doc["intervals"]:
        assert set(interval) == {"start", "counters", "predicted"}
        assert isinstance(interval["counters"], int)
        assert set(interval["predicted"]) == {"star67", "star5", "normal"}
        for values in interval["predicted"].values():
            assert set(values) == {"mean_wait_min", "within_target"}
            assert 0 <= values["within_target"] <= 1
            assert values["mean_wait_min"] >= 0


def test_the_counts_meet_the_level_and_grow_with_the_load(tmp_path):
    doc = json.loads(_run(tmp_path, DAY, "--json").stdout)
    first, second, empty = doc["intervals"]
    assert 10 < first["counters"] < second["counters"]  # 9.6 and 16 Erlangs
    assert empty["counters"] == 1
    for interval in (first, second):
        assert all(v["within_target"] >= 0.9 for v in interval["predicted"].values())


def test_a_stricter_level_and_the_same_input_again(tmp_path):
    loose = json.loads(_run(tmp_path, DAY, "--json", "--service-level", "0.5").stdout)
    strict = json.loads(_run(tmp_path, DAY, "--json", "--service-level", "0.999").stdout)
    assert loose["service_level"] == 0.5
    assert loose["intervals"][1]["counters"] < strict["intervals"][1]["counters"]
    assert _run(tmp_path, DAY, "--json").stdout == _run(tmp_path, DAY, "--json").stdout


def test_without_json_it_prints_a_table(tmp_path):
    result = _run(tmp_path, DAY)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("09:00")


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        (HEADER + "09:00,30,normal,-2,5\n", (), "row 1, field arrivals"),
        (HEADER + "09:00,30,normal,3,5\n09:30,30,normal,lots,5\n", (), "row 2, field arrivals"),
        (HEADER + "09:00,0,normal,3,5\n", (), "row 1, field minutes"),
        (HEADER + "09:00,30,gold,3,5\n", (), "row 1, field class"),
        (HEADER + "25:00,30,normal,3,5\n", (), "row 1, field start"),
        ("start,minutes,class,service_min\n09:00,30,normal,5\n", (), "field arrivals"),
        (HEADER + "09:00,30,star5,3,5\n09:00,30,normal,300,5\n", (), "row 2, field arrivals"),
        (HEADER + "09:00,30,normal,40,6\n", ("--max-counters", "8"), "row 1, field arrivals"),
        (HEADER + "09:00,30,normal,1,5\n", ("--service-level", "1.5"), "--service-level"),
    ],
)
def test_bad_input_exits_2_with_the_row_and_field(tmp_path, text, options, message):
    result = _run(tmp_path, text, "--json", *options)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_missing_file_is_a_clean_error(tmp_path):
    result = CliRunner().invoke(
        app, ["hall", "plan", "--arrivals", str(tmp_path / "none.csv"), "--json"]
    )
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
