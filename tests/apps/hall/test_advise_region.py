"""``guifan hall advise --region``: every hall of a region, a progress bar on stderr."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from guifan.apps.hall.models import Counter, Hall, Region
from guifan.cli import app
from tests.apps.hall.test_advice import four_mondays, make_hall

pytestmark = pytest.mark.django_db


def advise(*args: str):
    return CliRunner().invoke(app, ["hall", "advise", *args])


@pytest.fixture
def region(clock):
    east = Region.objects.create(code="E", name="东片")
    h1 = make_hall()
    four_mondays(h1)
    h2 = Hall.objects.create(code="H2", name="盐市口营业厅", region=east)
    for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10):
        Counter.objects.create(hall=h2, number=n, categories=["A"], status="open")
    four_mondays(h2, light=1, heavy=10)
    Hall.objects.filter(id=h1.id).update(region=east)
    return east


def test_every_hall_of_the_region_is_advised_as_json(region):
    result = advise("--region", "E", "--weekday", "1", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # the bar went to stderr: stdout is one JSON document
    assert doc["region"] == "E" and doc["errors"] == []
    assert [h["hall"] for h in doc["halls"]] == ["H1", "H2"]
    assert all(h["days"] == 4 and h["intervals"] for h in doc["halls"])
    assert "2/2" in result.stderr and "region E" in result.stderr


def test_text_output_has_a_block_per_hall(region):
    result = advise("--region", "E", "--weekday", "1")
    assert result.exit_code == 0
    heads = [line for line in result.stdout.splitlines() if "Mon: from" in line]
    assert [h.split()[0] for h in heads] == ["H1", "H2"]
    assert "━" not in result.stdout  # no progress bar on stdout


def test_a_hall_without_history_is_named_and_the_others_advised(region):
    Hall.objects.create(code="H3", name="新开营业厅", region=region)
    result = advise("--region", "E", "--weekday", "1", "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [h["hall"] for h in doc["halls"]] == ["H1", "H2"]
    assert [(e["hall"], e["field"]) for e in doc["errors"]] == [("H3", "counters")]
    assert "error: H3: counters:" in result.stderr


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["--region", "NOPE"], "error: region:"),
        (["H1", "--region", "E"], "error: hall:"),
        ([], "error: hall:"),
    ],
)
def test_bad_region_exits_2_naming_the_argument(region, args, start):
    result = advise(*args, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(start)


def test_an_empty_region_exits_2(region):
    Region.objects.create(code="EMPTY", name="空")
    result = advise("--region", "EMPTY")
    assert result.exit_code == 2 and result.stderr.startswith("error: region:")
