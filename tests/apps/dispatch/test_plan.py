"""The day's plan comes from the optimizer and goes through the visit services."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.dispatch.services import dispatch_plan
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment
from guifan.apps.timers.models import Timer
from guifan.apps.workforce.models import Shift
from guifan.clock import at_local
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 3)


def booked(hour: int, work: str = "repair", tier: str = "gold"):
    order = f.order(kind=work, tier=tier)
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "x"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    return services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(DAY, f"{hour:02d}:00")
    )


def on_shift(tech):
    tech.home_lat, tech.home_lon = 30.65, 104.07  # a few minutes from the customers
    tech.save()
    Shift.objects.create(technician=tech, date=DAY, start=dt.time(8, 30), end=dt.time(17, 30))
    return tech


def test_every_visit_is_assigned_to_a_certified_technician_arriving_early(clock):
    fitter = on_shift(f.technician(work_types=("broadband_repair",)))
    on_shift(f.technician(work_types=("iptv_install",)))
    appts = [booked(h) for h in (9, 11, 14)]
    result = dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert (result.assigned, result.unassigned) == (3, [])
    for a in Appointment.objects.filter(id__in=[x.id for x in appts]):
        assert a.technician_id == fitter.id
        early = (a.window_start - a.planned_arrival).total_seconds() / 60
        assert 5 <= early <= 10
        assert a.planned_departure <= a.planned_arrival
    assert Timer.objects.filter(kind="apt07.arrival_notice", status="pending").count() == 3
    assert set(NormCheck.objects.filter(norm_id="DSP-02").values_list("kept", flat=True)) == {True}


def test_a_second_plan_keeps_the_dispatched_visits(clock):
    on_shift(f.technician(work_types=("broadband_repair",)))
    first = booked(9)
    dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    before = Appointment.objects.get(id=first.id).planned_arrival
    booked(10)
    result = dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert result.assigned == 1
    assert Appointment.objects.get(id=first.id).planned_arrival == before


def test_a_job_nobody_is_certified_for_stays_unassigned_with_a_reason(clock):
    on_shift(f.technician(work_types=("iptv_install",)))
    appt = booked(9)
    result = dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert result.assigned == 0
    assert result.unassigned[0][0] == appt.order_id
    assert "DSP-05" in result.unassigned[0][1]


@pytest.mark.django_db(transaction=True)
def test_a_background_plan_is_run_by_the_worker(clock, settings):
    from django.test import Client

    from guifan.apps.timers.worker import worker_tick

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    on_shift(f.technician(work_types=("broadband_repair",)))
    appt = booked(9)
    _, raw = f.token()
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    r = api.post(
        "/api/v1/dispatch/plans",
        data={"area": "A01", "date": DAY.isoformat(), "background": True},
        content_type="application/json",
    )
    assert r.status_code == 202, r.content
    assert Appointment.objects.get(id=appt.id).technician_id is None
    assert worker_tick(worker_id="t") >= 1
    assert Appointment.objects.get(id=appt.id).technician_id is not None


def test_a_visit_assigned_by_hand_while_the_plan_is_solved_keeps_its_technician(clock, monkeypatch):
    from guifan.apps.dispatch import services as dispatch

    on_shift(f.technician(work_types=("broadband_repair",)))
    by_hand = f.technician(work_types=("broadband_repair",))
    appt, other = booked(9), booked(14)
    solve = dispatch.solve

    def solve_while_a_dispatcher_assigns(*args, **kwargs):
        plan = solve(*args, **kwargs)
        services.visit_assign(
            order_id=appt.order_id,
            technician_id=by_hand.id,
            planned_arrival=at_local(DAY, "08:55"),
            by=None,
        )
        return plan

    monkeypatch.setattr(dispatch, "solve", solve_while_a_dispatcher_assigns)
    result = dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert result.assigned == 1
    assert [order_id for order_id, _ in result.skipped] == [appt.order_id]
    assert Appointment.objects.get(id=appt.id).technician_id == by_hand.id
    assert Appointment.objects.get(id=other.id).technician_id not in (None, by_hand.id)


def test_a_multi_product_repair_is_one_visit_with_a_certified_helper(clock):
    """ORD-11: the solver places the one visit for its lead; apply adds the IPTV helper."""
    lead = on_shift(f.technician(work_types=("broadband_repair",)))
    helper = on_shift(f.technician(work_types=("iptv_repair",)))
    order = f.order(kind="repair", products=("broadband", "iptv"))
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "x"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    services.appointment_book(order_id=order.id, by=None, window_start=at_local(DAY, "10:00"))
    result = dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert result.assigned == 1 and Appointment.objects.filter(order=order).count() == 1
    crew = {(c.technician_id, c.is_contact) for c in order.crew.all()}
    assert crew == {(lead.id, True), (helper.id, False)}
    assert list(NormCheck.objects.filter(norm_id="ORD-11").values_list("kept", flat=True)) == [True]


def _short_day(tech):
    """One technician whose shift holds one 09:00 visit, not two."""
    on_shift(tech)
    Shift.objects.filter(technician=tech).update(end=dt.time(10, 0))
    return tech


def _dsp01() -> list[tuple[bool, str]]:
    rows = NormCheck.objects.filter(norm_id="DSP-01").order_by("id")
    return [(c.kept, c.reason) for c in rows]


def test_a_visit_left_out_for_a_higher_tier_keeps_dsp01(clock):
    _short_day(f.technician(work_types=("broadband_repair",)))
    gold, normal = booked(9, tier="gold"), booked(9, tier="normal")
    result = dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert result.assigned == 1
    assert [o for o, _ in result.unassigned] == [normal.order_id]
    assert Appointment.objects.get(id=gold.id).technician_id is not None
    assert _dsp01() == [(True, "运力不足时按等级取舍")]


def test_dsp01_is_broken_naming_the_lower_tier_visit_that_took_the_room(clock, monkeypatch):
    """A plan (here a solver made to prefer the lower tier) that leaves a gold visit out while
    a normal one holds the only room breaks DSP-01 and names the normal order."""
    import dataclasses

    from guifan.apps.dispatch import services as services_mod
    from guifan.optimize.result import Unassigned

    real = services_mod.solve

    def lower_first(problem, **kwargs):
        gold = next(j for j in problem.jobs if j.tier == "gold")
        rest = dataclasses.replace(problem, jobs=tuple(j for j in problem.jobs if j != gold))
        plan = real(rest, **kwargs)
        left = Unassigned(gold.id, "运力不足", "capacity")
        return dataclasses.replace(plan, unassigned=(*plan.unassigned, left))

    monkeypatch.setattr(services_mod, "solve", lower_first)
    tech = _short_day(f.technician(work_types=("broadband_repair",)))
    booked(9, tier="gold")
    normal = booked(9, tier="normal")
    dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    number = Appointment.objects.get(id=normal.id).order.number
    assert _dsp01() == [
        (
            False,
            f"较低等级客户被优先安排：{tech.badge_no} 的路线去掉普通客户工单 {number} 即可安排本单",
        )
    ]


def test_a_visit_left_out_that_fits_as_is_breaks_dsp01(clock, monkeypatch):
    from guifan.apps.dispatch import services as services_mod
    from guifan.optimize.result import Plan, Unassigned

    def nothing(problem, **kwargs):
        left = tuple(Unassigned(j.id, "运力不足", "capacity") for j in problem.jobs)
        return Plan((), left, 0.0)

    monkeypatch.setattr(services_mod, "solve", nothing)
    tech = _short_day(f.technician(work_types=("broadband_repair",)))
    booked(9, tier="silver")
    dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert _dsp01() == [(False, f"运力未用尽：{tech.badge_no} 的路线原本即可安排本单")]
