"""Re-planning the rest of the day: absent technicians' visits move, late ones get a call."""

from __future__ import annotations

import pytest

from guifan.apps.dispatch.replan import dispatch_replan
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import Appointment, OrderEvent
from tests.web.board_data import DAY, area_day

pytestmark = pytest.mark.django_db


def test_an_absent_technicians_visits_move_and_the_late_one_is_called(clock):
    day = area_day(clock)
    late = day.planned[0]
    absent = late.technician_id
    assert absent is not None
    later = [a for a in day.planned[1:] if a.technician_id == absent]
    result = dispatch_replan(
        area_code="A01", day=DAY, now=clock.now(), by=None, absent=frozenset({absent})
    )
    for a in later:
        a.refresh_from_db()
        assert a.technician_id != absent
        assert NormCheck.objects.filter(order_id=a.order_id, norm_id="DSP-05", kept=True).exists()
    assert result.moved >= len(later)
    # The 09:00 visit cannot be made in its window any more: call the customer (DSP-04).
    assert late.order.number in [number for number, _, _ in result.calls]
    assert OrderEvent.objects.filter(order_id=late.order_id, action="late_risk").exists()
    assert late.order.number in [number for number, _, _ in result.proposals]


def test_a_replan_with_nothing_changed_moves_nothing(clock):
    day = area_day(clock)
    first = dispatch_replan(area_code="A01", day=DAY, now=clock.now(), by=None)
    before = {
        a.id: (a.technician_id, a.planned_arrival)
        for a in Appointment.objects.filter(id__in=[x.id for x in day.planned[1:]])
    }
    second = dispatch_replan(area_code="A01", day=DAY, now=clock.now(), by=None)
    after = {
        a.id: (a.technician_id, a.planned_arrival)
        for a in Appointment.objects.filter(id__in=[x.id for x in day.planned[1:]])
    }
    assert second.moved == 0 and before == after
    assert first.churn >= 0
