"""Two workers racing on one area's plan (issue 18, bad input): one plans, the other is
refused with ``area.busy`` and its run goes back to the queue with the reason. Threads, each
with its own database connection (on PostgreSQL: its own session and advisory lock)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django_tasks import default_task_backend

from guifan.apps.dispatch import services
from guifan.apps.dispatch.batches import province_plan_start
from guifan.apps.dispatch.models import PlanRun
from guifan.apps.dispatch.runs import plan_run_execute
from guifan.apps.orders.models import Appointment, OrderEvent
from tests import factories as f
from tests.apps.dispatch.test_plan import DAY, booked, on_shift

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_on_one_area_plan_it_once(clock, monkeypatch):
    on_shift(f.technician(work_types=("broadband_repair",)))
    appts = [booked(h) for h in (9, 11, 14)]
    default_task_backend.clear()
    province_plan_start(day=DAY, by=None, now=clock.now())
    (run_id,) = [r.args[0] for r in default_task_backend.results]
    default_task_backend.clear()
    # A second batch on the same area: a re-plan is the usual one; here a second plan start
    # through the plain task path, which plans the same area directly.
    solving, release = threading.Event(), threading.Event()
    real_solve = services.solve

    def slow_solve(*args: Any, **kw: Any) -> Any:
        solving.set()  # the first worker holds the area now
        assert release.wait(30)
        return real_solve(*args, **kw)

    monkeypatch.setattr(services, "solve", slow_solve)
    outcomes: dict[str, Any] = {}

    def first() -> None:
        try:
            outcomes["first"] = plan_run_execute(run_id=run_id, worker="w1", now=clock.now())
        finally:
            connection.close()

    t = threading.Thread(target=first)
    t.start()
    assert solving.wait(30)
    # Meanwhile a second worker takes the same area (the run is claimed, so through the
    # plan service directly, as a board's plan or a duplicate task would).
    second: dict[str, Any] = {}

    def other() -> None:
        try:
            services.dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
            second["result"] = "planned"
        except Exception as exc:  # what the second worker's task would record
            second["result"] = getattr(exc, "code", repr(exc))
        finally:
            connection.close()

    u = threading.Thread(target=other)
    u.start()
    u.join(30)
    release.set()
    t.join(60)
    assert second == {"result": "area.busy"}
    assert outcomes["first"].status == "done"
    run = PlanRun.objects.get(id=run_id)
    assert (run.status, run.assigned) == ("done", 3)
    # Each visit was assigned once, by the one plan that ran.
    assigned = OrderEvent.objects.filter(
        order_id__in=[a.order_id for a in appts], action="dispatch"
    ).count()
    assert assigned == 3
    assert Appointment.objects.filter(technician__isnull=False).count() == 3


def test_two_runs_of_one_area_race_and_the_loser_is_queued_again(clock, monkeypatch):
    """Two batches (the night plan and a dispatcher's start of the same area) are two runs:
    the second worker finds the area busy and records why."""
    on_shift(f.technician(work_types=("broadband_repair",)))
    booked(10)
    province_plan_start(day=DAY, by=None, now=clock.now())
    run_a = PlanRun.objects.get().id
    # A second run of the same area in another batch row (as a re-plan round would be).
    from guifan.apps.dispatch.models import PlanBatch

    other_batch = PlanBatch.objects.create(
        key="plan:test-second", kind="plan", day=DAY, created_at=clock.now()
    )
    run_b = PlanRun.objects.create(batch=other_batch, area=f.area("A01"), queued_at=clock.now()).id
    solving, release = threading.Event(), threading.Event()
    real_solve = services.solve

    def slow_solve(*args: Any, **kw: Any) -> Any:
        solving.set()
        assert release.wait(30)
        return real_solve(*args, **kw)

    monkeypatch.setattr(services, "solve", slow_solve)
    got: dict[int, str] = {}

    def work(run_id: int, name: str) -> None:
        try:
            got[run_id] = plan_run_execute(run_id=run_id, worker=name, now=clock.now()).status
        finally:
            connection.close()

    t = threading.Thread(target=work, args=(run_a, "w1"))
    t.start()
    assert solving.wait(30)
    u = threading.Thread(target=work, args=(run_b, "w2"))
    u.start()
    u.join(30)
    release.set()
    t.join(60)
    assert got == {run_a: "done", run_b: "retry"}
    b = PlanRun.objects.get(id=run_b)
    assert (b.status, b.reason_code, b.worker) == ("queued", "area.busy", "w2")
