from __future__ import annotations

import pytest

from guifan.errors import ValidationFailed
from guifan.staffing.csvio import intervals_read

HEADER = "start,minutes,class,arrivals,service_min\n"


def _read(body: str, header: str = HEADER):
    return intervals_read((header + body).splitlines(keepends=True))


def test_rows_of_one_start_form_one_interval():
    intervals = _read("09:00,30,star67,2,6\n9:00,30,normal,40,5.5\n09:30,30,star5,3,6\n")
    assert [i.start for i in intervals] == ["09:00", "09:30"]
    assert [r.name for r in intervals[0].rows] == ["star67", "normal"]
    assert intervals[0].rows[1].row == 2
    assert intervals[0].rows[1].service_min == 5.5
    assert intervals[1].minutes == 30


def test_extra_columns_and_column_order_do_not_matter():
    intervals = _read("x,6,2,star5,09:00,30\n", "note,service_min,arrivals,class,start,minutes\n")
    assert intervals[0].rows[0].arrivals == 2


def _error(body: str, header: str = HEADER) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        _read(body, header)
    return caught.value


@pytest.mark.parametrize(
    ("body", "row", "field", "words"),
    [
        ("09:00,30,normal,-3,5\n", 1, "arrivals", ">= 0"),
        ("09:00,30,normal,many,5\n", 1, "arrivals", "not a number"),
        ("09:00,30,normal,nan,5\n", 1, "arrivals", "finite"),
        ("09:00,30,normal,,5\n", 1, "arrivals", "not a number"),
        ("09:00,30,normal,3,5\n09:30,0,normal,3,5\n", 2, "minutes", "> 0"),
        ("09:00,30,vip,3,5\n", 1, "class", "unknown class"),
        ("9h00,30,normal,3,5\n", 1, "start", "HH:MM"),
        ("24:00,30,normal,3,5\n", 1, "start", "HH:MM"),
        ("09:00,30,normal,3,0\n", 1, "service_min", "> 0"),
        ("09:00,30,normal,3,abc\n", 1, "service_min", "not a number"),
        ("09:00,30,normal,3,5\n09:00,15,star5,3,5\n", 2, "minutes", "differs"),
        ("09:00,30,normal,3,5\n09:00,30,normal,3,5\n", 2, "class", "repeated"),
        ("09:00,30,normal\n", 1, "arrivals", "not a number"),
    ],
)
def test_bad_values_name_the_row_and_field(body, row, field, words):
    error = _error(body)
    assert error.field == field
    assert error.extra["row"] == row
    assert f"row {row}, field {field}:" in error.message
    assert words in error.message


def test_rows_are_counted_after_the_header_including_blank_lines():
    error = _error("09:00,30,normal,3,5\n\n09:30,30,normal,-1,5\n")
    assert error.extra["row"] == 3


def test_a_missing_column_is_named():
    error = _error("09:00,30,normal,3\n", "start,minutes,class,arrivals\n")
    assert error.field == "service_min"
    assert "header, field service_min: missing column" in error.message


def test_no_data_rows_is_an_error():
    assert "no data rows" in _error("").message
