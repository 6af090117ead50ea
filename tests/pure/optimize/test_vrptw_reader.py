"""Solomon reader: values, and errors that name the line and the field."""

from __future__ import annotations

import pytest

from guifan.optimize.vrptw import InstanceFormatError, parse_solomon, read_solomon
from tests.pure.optimize.conftest import solomon

SHARED = "/work/shared/bench-data/solomon/instances/C101.txt"


def test_it_reads_fleet_and_customers(small_text):
    inst = parse_solomon(small_text)
    assert inst.name == "SMALL"
    assert (inst.vehicles, inst.capacity) == (3, 30)
    assert len(inst.nodes) == 7
    assert inst.nodes[2].ready == 20
    assert inst.nodes[2].due == 120
    assert inst.dist(0, 1) == pytest.approx(10.0)


def test_it_reads_a_real_benchmark_file():
    inst = read_solomon(SHARED)
    assert (inst.vehicles, inst.capacity, len(inst.nodes)) == (25, 200, 101)
    assert inst.nodes[0].due == 1236


def error_for(text: str) -> InstanceFormatError:
    with pytest.raises(InstanceFormatError) as info:
        parse_solomon(text, "x.txt")
    return info.value


def test_a_non_numeric_value_names_line_and_field():
    err = error_for(solomon(["0 50 50 0 0 400 0", "1 60 abc 10 0 60 10"]))
    assert err.line == 11
    assert err.field == "YCOORD."
    assert "x.txt:11: YCOORD.: 'abc'" in err.message


def test_a_short_row_is_reported():
    err = error_for(solomon(["0 50 50 0 0 400 0", "1 60 50 10 0 60"]))
    assert (err.line, err.field) == (11, "SERVICE")
    assert "expected 7 values" in err.message


def test_a_fractional_demand_is_reported():
    err = error_for(solomon(["0 50 50 0 0 400 0", "1 60 50 2.5 0 60 10"]))
    assert (err.line, err.field) == (11, "DEMAND")


def test_customers_out_of_order_are_reported():
    err = error_for(solomon(["0 50 50 0 0 400 0", "2 60 50 10 0 60 10"]))
    assert (err.line, err.field) == (11, "CUST NO.")


def test_a_missing_capacity_is_reported():
    err = error_for("T\n\nVEHICLE\nNUMBER     CAPACITY\n  25\n\nCUSTOMER\n")
    assert (err.line, err.field) == (5, "NUMBER")


def test_a_bad_capacity_is_reported():
    err = error_for("T\n\nVEHICLE\nNUMBER     CAPACITY\n  25 lots\n")
    assert (err.line, err.field) == (5, "CAPACITY")


def test_a_missing_section_is_reported():
    err = error_for("T\n\nNUMBER CAPACITY\n 25 200\n")
    assert (err.line, err.field) == (3, "VEHICLE")


def test_an_empty_file_is_reported():
    assert error_for("\n\n").field == "NAME"


def test_a_file_without_customers_is_reported():
    err = error_for(solomon(["0 50 50 0 0 400 0"]))
    assert err.field == "CUST NO."


def test_negative_service_is_reported():
    err = error_for(solomon(["0 50 50 0 0 400 0", "1 60 50 10 0 60 -1"]))
    assert (err.line, err.field) == (11, "SERVICE")


def test_a_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(InstanceFormatError):
        read_solomon(tmp_path / "nope.txt")
