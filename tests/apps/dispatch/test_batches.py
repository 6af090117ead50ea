"""Province plan batches: one background task per area, idempotent, authorized per area, a
lock per area, and the night-before timer (issue 18 §5, ADR 0039)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django_tasks import default_task_backend

from guifan.apps.accounts.models import Role
from guifan.apps.dispatch import runs
from guifan.apps.dispatch.arealock import area_plan_lock
from guifan.apps.dispatch.batches import (
    night_plan_arm,
    province_plan_progress,
    province_plan_start,
)
from guifan.apps.dispatch.models import PlanBatch, PlanRun
from guifan.apps.dispatch.runs import plan_run_execute
from guifan.apps.dispatch.services import dispatch_plan
from guifan.apps.orders.models import Appointment
from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timer_fire_next
from guifan.clock import at_local
from guifan.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests import factories as f
from tests.apps.dispatch.test_plan import DAY, booked, on_shift

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 2)  # the clock fixture's day; DAY is the next day


@pytest.fixture(autouse=True)
def _queue() -> Iterator[list]:
    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


@contextmanager
def held_elsewhere(area) -> Iterator[None]:
    """The area's plan lock held by another worker (a thread with its own connection: on
    PostgreSQL a session's advisory lock is re-entrant for that session)."""
    got, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with area_plan_lock(area):
                got.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert got.wait(30)
    try:
        yield
    finally:
        release.set()
        holder.join(30)


def queued_runs() -> list[int]:
    return [r.args[0] for r in default_task_backend.results if r.task.name == "plan_run_task"]


def test_a_dispatcher_starts_the_day_for_their_areas_once(clock):
    boss = f.user(Role.DISPATCHER, areas=("A01", "A02"))
    f.area("A03")  # another desk's area: not in this dispatcher's batch
    batch = province_plan_start(day=DAY, by=boss, now=clock.now())
    assert batch.key == f"plan:{DAY}"
    assert sorted(batch.runs.values_list("area__code", flat=True)) == ["A01", "A02"]
    assert sorted(queued_runs()) == sorted(batch.runs.values_list("id", flat=True))
    again = province_plan_start(day=DAY, by=boss, now=clock.now())
    assert again.id == batch.id
    assert PlanBatch.objects.count() == 1 and PlanRun.objects.count() == 2
    assert len(queued_runs()) == 2  # not doubled
    # Another desk joins the same day's batch with its own area only.
    other = f.user(Role.DISPATCHER, areas=("A03",))
    assert province_plan_start(day=DAY, by=other, now=clock.now()).id == batch.id
    assert PlanRun.objects.count() == 3 and len(queued_runs()) == 3
    progress = province_plan_progress(day=DAY, by=other)
    assert [r.area.code for r in progress.runs] == ["A03"]  # each desk sees its own areas


def test_an_area_the_dispatcher_does_not_dispatch_is_not_found_and_nothing_is_queued(clock):
    boss = f.user(Role.DISPATCHER, areas=("A01",))
    f.area("A02")
    with pytest.raises(NotFound) as exc:
        province_plan_start(day=DAY, by=boss, now=clock.now(), areas=["A01", "A02"])
    assert exc.value.field == "areas"
    assert not PlanBatch.objects.exists() and not queued_runs()


def test_who_may_not_dispatch_may_not_start(clock):
    f.area("A01")
    with pytest.raises(PermissionDenied):
        province_plan_start(day=DAY, by=f.user(Role.TECHNICIAN), now=clock.now())


@pytest.mark.parametrize(
    ("kind", "day", "code"),
    [
        ("plan", TODAY - dt.timedelta(days=1), "plan.day_past"),
        ("replan", DAY, "plan.replan_today"),
        ("plan", TODAY + dt.timedelta(days=30), "plan.day_far"),
    ],
)
def test_a_day_that_cannot_be_planned_is_refused_naming_the_date(clock, kind, day, code):
    f.area("A01")
    with pytest.raises(ValidationFailed) as exc:
        province_plan_start(day=day, by=None, now=clock.now(), kind=kind)
    assert (exc.value.code, exc.value.field) == (code, "date")


def test_a_run_plans_its_area_once_and_records_the_counts(clock):
    on_shift(f.technician(work_types=("broadband_repair",)))
    appts = [booked(h) for h in (9, 14)]
    batch = province_plan_start(day=DAY, by=None, now=clock.now())
    (run_id,) = queued_runs()
    assert plan_run_execute(run_id=run_id, worker="w1", now=clock.now()).status == "done"
    # The task delivered a second time finds the run taken: the area is not planned twice.
    assert plan_run_execute(run_id=run_id, worker="w2", now=clock.now()).status == "claimed"
    run = PlanRun.objects.get(id=run_id)
    assert (run.status, run.assigned, run.unassigned, run.attempts, run.worker) == (
        "done",
        2,
        0,
        1,
        "w1",
    )
    placed = Appointment.objects.filter(id__in=[a.id for a in appts], technician__isnull=False)
    assert placed.count() == 2
    assert province_plan_progress(day=DAY, by=None).finished
    assert batch.runs.get().finished_at is not None


def test_a_busy_area_goes_back_to_the_queue_with_the_reason_then_fails(clock, monkeypatch):
    area = f.area("A01")
    province_plan_start(day=DAY, by=None, now=clock.now())
    (run_id,) = queued_runs()
    with held_elsewhere(area):  # a dispatcher's re-plan holds the area
        outcome = plan_run_execute(run_id=run_id, worker="w1", now=clock.now())
        assert (outcome.status, outcome.retry_after) == ("retry", runs.RETRY_SECONDS)
        run = PlanRun.objects.get(id=run_id)
        assert (run.status, run.reason_code) == ("queued", "area.busy")
        assert "A01" in run.reason
        monkeypatch.setattr(runs, "MAX_ATTEMPTS", 2)
        assert plan_run_execute(run_id=run_id, worker="w1", now=clock.now()).status == "failed"
    run.refresh_from_db()
    assert (run.status, run.reason_code, run.attempts) == ("failed", "area.busy", 2)
    # Starting the day again queues the failed run again (and only it).
    default_task_backend.clear()
    province_plan_start(day=DAY, by=None, now=clock.now())
    assert queued_runs() == [run_id]
    assert plan_run_execute(run_id=run_id, worker="w1", now=clock.now()).status == "done"


def test_the_plan_task_queues_a_busy_run_again_later(clock):
    from guifan.apps.dispatch.tasks import plan_run_task

    area = f.area("A01")
    province_plan_start(day=DAY, by=None, now=clock.now())
    (run_id,) = queued_runs()
    with held_elsewhere(area):
        assert plan_run_task.call(run_id) == {"run": run_id, "outcome": "retry"}
    later = [r for r in default_task_backend.results if r.task.run_after is not None]
    assert [r.args for r in later] == [[run_id]]


def test_a_failing_area_is_recorded_and_the_others_go_on(clock, monkeypatch):
    f.area("A01")
    f.area("A02")
    province_plan_start(day=DAY, by=None, now=clock.now())

    def broken(**kw):
        if kw["area_code"] == "A01":
            raise RuntimeError("road-time service refused")
        return dispatch_plan(**kw)

    monkeypatch.setattr(runs, "dispatch_plan", broken)
    for run_id in queued_runs():
        plan_run_execute(run_id=run_id, worker="w1", now=clock.now())
    by_area = dict(PlanRun.objects.values_list("area__code", "status"))
    assert by_area == {"A01": "failed", "A02": "done"}
    assert "road-time service refused" in PlanRun.objects.get(area__code="A01").reason


def test_a_second_plan_of_a_busy_area_is_refused_with_409(clock):
    area = f.area("A01")
    with held_elsewhere(area), pytest.raises(Conflict) as exc:
        dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    assert (exc.value.code, exc.value.field, exc.value.http_status) == ("area.busy", "area", 409)
    # Released: the next plan runs.
    assert dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None).assigned == 0


def test_the_night_timer_starts_every_area_and_arms_the_next_night(clock):
    f.area("A01")
    f.area("A02")
    night_plan_arm(day=DAY)
    night_plan_arm(day=DAY)  # arming twice: one timer
    assert Timer.objects.filter(kind="dispatch.night_plan").count() == 1
    assert timer_fire_next(now=clock.now(), worker_id="w") is None  # not yet: due at 22:00
    fired = timer_fire_next(now=at_local(TODAY, "22:00"), worker_id="w")
    assert fired is not None and fired.result["runs"] == 2
    batch = PlanBatch.objects.get()
    assert (batch.key, batch.created_by) == (f"plan:{DAY}", None)
    nxt = Timer.objects.get(kind="dispatch.night_plan", status="pending")
    assert nxt.due_at == at_local(DAY, "22:00")
    assert nxt.payload == {"day": (DAY + dt.timedelta(days=1)).isoformat()}


def test_a_night_timer_fired_too_late_plans_no_past_day_and_keeps_the_chain(clock):
    f.area("A01")
    night_plan_arm(day=TODAY - dt.timedelta(days=1))
    fired = timer_fire_next(now=clock.now(), worker_id="w")
    assert fired is not None and fired.result["runs"] == 0
    assert not PlanBatch.objects.exists()
    nxt = Timer.objects.get(kind="dispatch.night_plan", status="pending")
    assert nxt.payload == {"day": DAY.isoformat()}


def test_the_cli_starts_the_day_once_and_arms_the_night(clock):
    from typer.testing import CliRunner

    from guifan.cli import app

    f.area("A01")
    runner = CliRunner()
    first = runner.invoke(app, ["plans", "start", "--date", DAY.isoformat()])
    assert first.exit_code == 0, first.output
    assert f"batch plan:{DAY}: 1 areas" in first.output
    again = runner.invoke(app, ["plans", "start", "--date", DAY.isoformat()])
    assert again.exit_code == 0 and "0/1 done, 1 queued" in again.output
    assert len(queued_runs()) == 1
    bad = runner.invoke(app, ["plans", "start", "--date", "2025-05-01"])
    assert bad.exit_code == 2 and "field=date" in bad.output
    armed = runner.invoke(app, ["plans", "arm", "--date", DAY.isoformat()])
    assert armed.exit_code == 0 and "22:00" in armed.output


def test_an_intraday_replan_round_is_its_own_batch_per_hour(clock):
    f.area("A01")
    first = province_plan_start(day=TODAY, by=None, now=clock.now(), kind="replan")
    assert first.key == f"replan:{TODAY}T10"
    assert province_plan_start(day=TODAY, by=None, now=clock.now(), kind="replan").id == first.id
    (run_id,) = queued_runs()
    assert plan_run_execute(run_id=run_id, worker="w1", now=clock.now()).status == "done"
    clock.advance(dt.timedelta(hours=1))
    later = province_plan_start(day=TODAY, by=None, now=clock.now(), kind="replan")
    assert later.key == f"replan:{TODAY}T11" and later.id != first.id
    assert province_plan_progress(day=TODAY, by=None, kind="replan").batch == later


def test_the_sweep_queues_again_a_run_whose_worker_died_and_stops_when_all_are_done(clock):
    f.area("A01")
    f.area("A02")
    batch = province_plan_start(day=DAY, by=None, now=clock.now())
    dead, alive = sorted(batch.runs.all(), key=lambda r: r.area.code)
    # The worker that claimed A01 died mid-plan: its run stays "running" with no one on it.
    PlanRun.objects.filter(id=dead.id).update(status="running", started_at=clock.now())
    default_task_backend.clear()
    sweep = Timer.objects.get(kind="dispatch.plan_sweep", status="pending")
    assert sweep.due_at > clock.now() + dt.timedelta(minutes=29)
    clock.advance(dt.timedelta(minutes=10))  # not stale yet, and the timer is not due
    assert timer_fire_next(now=clock.now(), worker_id="w") is None
    # A2 is claimed now by a live, slow worker: the sweep must leave it alone.
    PlanRun.objects.filter(id=alive.id).update(status="running", started_at=clock.now())
    clock.set(sweep.due_at)
    fired = timer_fire_next(now=clock.now(), worker_id="w")
    assert fired is not None and fired.result == {"requeued": 1, "open": 2}
    assert queued_runs() == [dead.id]
    dead.refresh_from_db()
    assert dead.status == "queued" and dead.queued_at == clock.now()
    assert PlanRun.objects.get(id=alive.id).status == "running"
    assert Timer.objects.filter(kind="dispatch.plan_sweep", status="pending").count() == 1
    assert plan_run_execute(run_id=dead.id, worker="w2", now=clock.now()).status == "done"
    PlanRun.objects.filter(id=alive.id).update(status="done")
    clock.advance(dt.timedelta(minutes=31))
    fired = timer_fire_next(now=clock.now(), worker_id="w")
    assert fired is not None and fired.result == {"requeued": 0, "open": 0}
    assert not Timer.objects.filter(kind="dispatch.plan_sweep", status="pending").exists()


def test_the_sweep_leaves_a_failed_run_for_the_operator(clock, monkeypatch):
    f.area("A01")
    batch = province_plan_start(day=DAY, by=None, now=clock.now())
    PlanRun.objects.filter(batch=batch).update(status="failed", reason_code="error")
    clock.advance(dt.timedelta(minutes=31))
    fired = timer_fire_next(now=clock.now(), worker_id="w")
    assert fired is not None and fired.result == {"requeued": 0, "open": 0}
    assert PlanRun.objects.get(batch=batch).status == "failed"


def test_starting_a_batch_again_does_not_begin_a_second_chain_of_sweeps(clock):
    f.area("A01")
    province_plan_start(day=DAY, by=None, now=clock.now())
    clock.advance(dt.timedelta(minutes=10))
    province_plan_start(day=DAY, by=None, now=clock.now())  # an operator's second start
    assert Timer.objects.filter(kind="dispatch.plan_sweep", status="pending").count() == 1
