"""Hall inspections (HAL-09): the 51-item checklist, measured items, deductions and bonus."""

from __future__ import annotations

import pytest

from guifan.apps.hall.inspections import Measurements, checklist, inspection_record
from guifan.apps.hall.models import Hall, Inspection
from guifan.apps.norms.models import NormCheck
from guifan.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(clock):
    return Hall.objects.create(code="H1", name="春熙路营业厅")


def record(answers=None, **m):
    return inspection_record(
        hall_code="H1", answers=answers or {}, measurements=Measurements(**m), by=None
    )


def test_the_checklist_has_every_item_of_norms_md():
    items = checklist()
    assert [i.no for i in items] == list(range(1, 52))
    assert {i.no for i in items if i.kind == "deduction"} == {29, 30, 31}


def test_a_clean_inspection_keeps_hal09(hall):
    done = record({1: "kept", 2: "kept", 42: "kept"}, temperature_c=22, noise_db=55)
    assert (done.score, done.broken, done.deductions, done.bonus) == (100.0, 0, 0, 1)
    assert done.results["46"] == "kept" and done.results["3"] == "na"
    assert NormCheck.objects.get(norm_id="HAL-09").kept is True


def test_measurements_outside_the_norm_break_their_items(hall):
    done = record(
        {1: "kept"}, temperature_c=29, noise_db=75, terminals_working=1, terminals_total=4
    )
    assert (done.results["46"], done.results["47"], done.results["43"]) == (
        "broken",
        "broken",
        "broken",
    )
    assert (done.broken, done.score) == (2, 33.3)  # item 43 is a bonus: it never subtracts
    assert NormCheck.objects.get(norm_id="HAL-09").kept is False


def test_deduction_items_are_counted_apart(hall):
    done = record({29: "broken", 1: "kept"})
    assert (done.broken, done.deductions) == (0, 1)


@pytest.mark.parametrize(
    ("answers", "m", "field"),
    [
        ({99: "kept"}, {}, "item_99"),
        ({1: "maybe"}, {}, "item_1"),
        ({}, {"temperature_c": 80}, "temperature_c"),
        ({}, {"terminals_working": 5, "terminals_total": 4}, "terminals_working"),
        ({}, {"terminals_working": 2}, "terminals_working"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(hall, answers, m, field):
    with pytest.raises(ValidationFailed) as exc:
        record(answers, **m)
    assert exc.value.field == field
    assert not Inspection.objects.exists() and not NormCheck.objects.exists()
