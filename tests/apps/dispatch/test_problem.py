"""One adapter from rows to the solver: plan and re-plan agree on when a visit under way ends."""

from __future__ import annotations

import pytest

from guifan.apps.dispatch.problem import (
    DayProblem,
    day_rows,
    plan_problem,
    replan_problem,
    tech_id,
)
from guifan.apps.orders import services
from guifan.apps.workforce.models import ServiceArea
from guifan.clock import at_local
from tests import factories as f
from tests.web.board_data import DAY, booked, on_shift

pytestmark = pytest.mark.django_db


def free_from(problem: DayProblem, technician: str) -> int:
    """When (minutes after midnight) the plan lets the technician start a new visit."""
    return next(t.shift[0] for t in problem.problem.technicians if t.id == technician)


def ends(problem: DayProblem, technician: str) -> int:
    """When the re-plan expects the technician's visit under way to end."""
    return next(s.expected_end for s in problem.started if s.technician == technician)


def under_way(clock, *, arrive: str | None):  # type: ignore[no-untyped-def]
    """A repair (45 minutes) booked 10:00-12:00, assigned to arrive at 09:50; the technician
    departs at 09:30 and, when ``arrive`` is given, arrives then."""
    clock.set(at_local(DAY, "07:00"))
    tech = on_shift("王师傅", 30.65)
    appt = booked(10)
    services.visit_assign(
        order_id=appt.order_id,
        technician_id=tech.id,
        planned_arrival=at_local(DAY, "09:50"),
        by=None,
    )
    clock.set(at_local(DAY, "09:30"))
    f.kit_ready(appt.order_id)
    services.work_order_transition(order_id=appt.order_id, action="depart", by=None)
    if arrive is not None:
        clock.set(at_local(DAY, arrive))
        services.work_order_transition(order_id=appt.order_id, action="arrive", by=None)
    return tech


@pytest.mark.parametrize(
    ("arrive", "now", "end"),
    [
        ("10:20", "10:30", "11:05"),  # on site: the recorded arrival + 45 minutes
        ("09:55", "10:30", "10:45"),  # early on site: service starts when the window opens
        ("10:20", "11:30", "11:30"),  # overran: now
        (None, "10:30", "10:45"),  # en route: the planned arrival, not before the window
    ],
)
def test_plan_and_replan_agree_when_a_visit_under_way_ends(clock, arrive, now, end):
    tech = under_way(clock, arrive=arrive)
    clock.set(at_local(DAY, now))
    rows = day_rows(ServiceArea.objects.get(code="A01"), DAY)
    plan = plan_problem(rows, clock.now())
    replan = replan_problem(rows, clock.now())
    hh, mm = end.split(":")
    expected = int(hh) * 60 + int(mm)
    assert free_from(plan, tech_id(tech.id)) == expected
    assert ends(replan, tech_id(tech.id)) == expected
    assert plan.started == replan.started
