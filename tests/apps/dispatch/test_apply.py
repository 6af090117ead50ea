"""Plans are solved outside any transaction and applied with a version check.

The road-time service and the solver take seconds: inside a transaction they would hold row
locks that long. A visit changed while the plan was being solved is left alone and reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from guifan.apps.dispatch import problem as problem_mod
from guifan.apps.dispatch import replan as replan_mod
from guifan.apps.dispatch import services as services_mod
from guifan.apps.dispatch.apply import CHANGED
from guifan.apps.dispatch.replan import dispatch_replan
from guifan.apps.dispatch.services import dispatch_plan, visit_reassign
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment
from guifan.clock import at_local
from guifan.optimize.matrix import Point
from guifan.optimize.problem import TravelMatrix
from tests import factories as f
from tests.web.board_data import DAY, area_day, booked, on_shift


class Spy:
    """Records, for every call of the wrapped function, whether a transaction was open."""

    def __init__(self) -> None:
        self.in_atomic: list[bool] = []

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.in_atomic.append(connection.in_atomic_block)
            return fn(*args, **kwargs)

        return wrapped


class SpyProvider:
    def __init__(self, inner: Any, spy: Spy) -> None:
        self.inner, self.spy = inner, spy

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        self.spy.in_atomic.append(connection.in_atomic_block)
        return self.inner.matrix(points)  # type: ignore[no-any-return]


@pytest.mark.django_db(transaction=True)  # no test transaction around the services
def test_no_road_time_request_or_solver_run_happens_inside_a_transaction(clock, monkeypatch):
    spy = Spy()
    real = problem_mod.matrix_provider

    def provider(area: Any) -> SpyProvider:
        return SpyProvider(real(area), spy)

    monkeypatch.setattr(problem_mod, "matrix_provider", provider)
    monkeypatch.setattr(services_mod, "matrix_provider", provider)
    monkeypatch.setattr(services_mod, "solve", spy.wrap(services_mod.solve))
    monkeypatch.setattr(replan_mod, "replan", spy.wrap(replan_mod.replan))
    day = area_day(clock)  # plans the day at 07:00
    dispatch_replan(
        area_code="A01",
        day=DAY,
        now=clock.now(),
        by=None,
        absent=frozenset({day.planned[0].technician_id or 0}),
    )
    late = Appointment.objects.select_related("order").get(id=day.planned[2].id)
    visit_reassign(
        appointment_id=late.id,
        technician_id=day.techs[1].id,
        arrival=dt.time(12, 50),
        expected_version=late.order.version,
        by=None,
    )
    # plan: matrix + solve; re-plan: matrix + replan; reassign: matrix
    assert len(spy.in_atomic) >= 5
    assert not any(spy.in_atomic)


def a_dispatcher_assigns_while_solving(clock, monkeypatch):  # type: ignore[no-untyped-def]
    """Two open visits; while the day is solved, a dispatcher assigns the second by hand."""
    clock.set(at_local(DAY, "07:00"))
    techs = on_shift("王师傅", 30.65), on_shift("李师傅", 30.66)
    first, second = booked(9), booked(11)
    solve = services_mod.solve
    manual = at_local(DAY, "10:47")

    def solve_then_a_dispatcher_assigns(*args: Any, **kwargs: Any) -> Any:
        plan = solve(*args, **kwargs)
        services.visit_assign(
            order_id=second.order_id, technician_id=techs[1].id, planned_arrival=manual, by=None
        )
        return plan

    monkeypatch.setattr(services_mod, "solve", solve_then_a_dispatcher_assigns)
    return techs, first, second, manual


@pytest.mark.django_db
def test_a_visit_changed_while_the_day_was_solved_is_left_alone_and_reported(clock, monkeypatch):
    techs, first, second, manual = a_dispatcher_assigns_while_solving(clock, monkeypatch)
    result = dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert result.skipped == [(second.order_id, CHANGED)]
    assert result.assigned == 1
    kept = Appointment.objects.get(id=second.id)
    assert (kept.technician_id, kept.planned_arrival) == (techs[1].id, manual)
    assert not NormCheck.objects.filter(order_id=second.order_id, norm_id="DSP-02").exists()
    assert Appointment.objects.get(id=first.id).technician_id in {t.id for t in techs}


@pytest.mark.django_db
def test_the_plan_api_reports_the_visit_left_alone(clock, monkeypatch):
    _, _, second, _ = a_dispatcher_assigns_while_solving(clock, monkeypatch)
    _, raw = f.token()
    r = Client(headers={"Authorization": f"Bearer {raw}"}).post(
        "/api/v1/dispatch/plans",
        data={"area": "A01", "date": DAY.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["assigned"] == 1
    assert r.json()["skipped"] == [{"order_id": second.order_id, "reason": CHANGED}]


@pytest.mark.django_db
def test_a_visit_changed_while_the_rest_of_the_day_was_replanned_is_left_alone(clock, monkeypatch):
    day = area_day(clock)
    absent = day.planned[0].technician_id
    later = [a for a in day.planned[1:] if a.technician_id == absent]
    assert later
    changed = later[-1]
    replan = replan_mod.replan

    def replan_then_the_technician_sets_off(*args: Any, **kwargs: Any) -> Any:
        result = replan(*args, **kwargs)
        f.kit_ready(changed.order_id)
        services.work_order_transition(order_id=changed.order_id, action="depart", by=None)
        return result

    monkeypatch.setattr(replan_mod, "replan", replan_then_the_technician_sets_off)
    outcome = dispatch_replan(
        area_code="A01", day=DAY, now=clock.now(), by=None, absent=frozenset({absent or 0})
    )
    assert (changed.order.number, CHANGED) in outcome.skipped
    after = Appointment.objects.get(id=changed.id)
    assert (after.technician_id, after.planned_arrival) == (absent, changed.planned_arrival)
