"""The star zone or desk (HAL-01), recorded from an inspection's items 1 and 2."""

from __future__ import annotations

import pytest

from guifan.apps.hall.inspections import Measurements, inspection_record
from guifan.apps.hall.models import Hall
from guifan.apps.hall.star_zone import star_zone_record
from guifan.apps.norms.models import NormCheck
from guifan.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(clock):
    return Hall.objects.create(code="H1", name="春熙路营业厅")


def inspect(answers):
    return inspection_record(hall_code="H1", answers=answers, measurements=Measurements(), by=None)


def test_a_star_desk_with_priority_calling_keeps_hal01(hall):
    check = star_zone_record(inspection_id=inspect({1: "kept", 2: "kept"}).id, by=None)
    assert (check.norm_id, check.kept, check.area_code) == ("HAL-01", True, "H1")


def test_a_missing_priority_function_breaks_hal01(hall):
    check = star_zone_record(inspection_id=inspect({1: "kept", 2: "broken"}).id, by=None)
    assert (check.kept, check.detail["broken"], check.detail["args"]) == (
        False,
        1,
        {"items": ["2"]},
    )


def test_items_not_assessed_record_nothing(hall):
    assert star_zone_record(inspection_id=inspect({3: "kept"}).id, by=None) is None
    assert not NormCheck.objects.filter(norm_id="HAL-01").exists()


def test_an_unknown_inspection_is_refused(hall):
    with pytest.raises(NotFound):
        star_zone_record(inspection_id=999, by=None)
