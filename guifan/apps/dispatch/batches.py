"""Start a province's plans as one batch of per-area tasks and read its progress (issue 18 §5).

``province_plan_start`` is idempotent per batch key: the night-before plan of a day is one
batch (``plan:<day>``), an intraday re-plan round one per hour (``replan:<day>T<hh>``);
starting it again returns the same batch and queues only what it lacks — areas not in it yet,
runs that failed, and runs left behind by a worker that died (stale). The runs and their
tasks are written in one transaction (the task queue is a table of the same database), so a
run never exists without its task or the other way round. Each start also arms a sweep timer
(``dispatch.plan_sweep``, durable): every ``STALE`` while the batch has open runs it queues
again the runs a dead worker left "running", so a night's batch finishes without an operator.

Who may start: a dispatcher for the areas they dispatch (``DispatcherArea``), administrators
and the system (the night timer) for every area; the tasks then run as the system.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from guifan.apps.accounts.auth import require_role
from guifan.apps.accounts.models import Role, User
from guifan.apps.dispatch.models import PlanBatch, PlanKind, PlanRun, RunStatus
from guifan.apps.dispatch.tasks import plan_run_task
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.services import timer_schedule
from guifan.apps.workforce.access import area_get_for, area_q, areas_for
from guifan.apps.workforce.models import ServiceArea
from guifan.clock import at_local, local
from guifan.errors import ValidationFailed

STARTERS = (Role.DISPATCHER, Role.SYSTEM)  # and administrators (require_role)
NIGHT_KIND = "dispatch.night_plan"
SWEEP_KIND = "dispatch.plan_sweep"
# A run still "running" this long after it started lost its worker: a new start queues it
# again (the claim and the area lock make a late duplicate harmless).
STALE = dt.timedelta(minutes=30)


def batch_key(kind: str, day: dt.date, now: dt.datetime) -> str:
    if kind == PlanKind.REPLAN:
        return f"replan:{day.isoformat()}T{local(now):%H}"
    return f"plan:{day.isoformat()}"


def _check_day(kind: str, day: dt.date, now: dt.datetime) -> None:
    today = local(now).date()
    if day < today:
        raise ValidationFailed("plan.day_past", f"日期 {day} 已过，不能排程", field="date")
    if kind == PlanKind.REPLAN and day != today:
        raise ValidationFailed("plan.replan_today", "日内重排只能用于今天", field="date")
    if day > today + dt.timedelta(days=14):
        raise ValidationFailed(
            "plan.day_far", f"日期 {day} 超出可排程范围（14 天内）", field="date"
        )


def _targets(by: User | None, codes: list[str] | None) -> list[ServiceArea]:
    if codes:
        if len(codes) > 5000:
            raise ValidationFailed("plan.too_many_areas", "片区过多（最多 5000 个）", field="areas")
        # Each area must be one ``by`` dispatches; another is not found (no existence leak).
        found = {code: area_get_for(by=by, code=code, field="areas") for code in codes}
        return sorted(found.values(), key=lambda a: a.code)
    areas = areas_for(by)
    if not areas:
        raise ValidationFailed("plan.no_areas", "没有可排程的片区", field="areas")
    return areas


def province_plan_start(
    *,
    day: dt.date,
    by: User | None,
    now: dt.datetime,
    kind: str = PlanKind.PLAN,
    areas: list[str] | None = None,
) -> PlanBatch:
    """Queue one plan task per area (``areas``, or every area ``by`` dispatches) for ``day``."""
    if by is not None:
        require_role(by, *STARTERS)
    if kind not in PlanKind.values:
        raise ValidationFailed("plan.kind", f"未知的排程类型 {kind}", field="kind")
    _check_day(kind, day, now)
    targets = _targets(by, areas)
    key = batch_key(kind, day, now)
    with transaction.atomic():
        batch, _ = PlanBatch.objects.get_or_create(
            key=key, defaults={"kind": kind, "day": day, "created_at": now, "created_by": by}
        )
        for area in targets:
            run, created = PlanRun.objects.get_or_create(
                batch=batch, area=area, defaults={"queued_at": now}
            )
            if created or _requeue(run, now):
                _enqueue(run)
        plan_sweep_arm(batch, now=now)
    return batch


def _enqueue(run: PlanRun) -> None:
    task = plan_run_task.enqueue(run.id)
    PlanRun.objects.filter(id=run.id).update(task_id=str(task.id))


def plan_sweep_arm(batch: PlanBatch, *, now: dt.datetime) -> Timer:
    """Arm the batch's next sweep ``STALE`` from ``now``, unless one is already pending (a
    second start of the batch must not begin a second chain of sweeps)."""
    prefix = f"{SWEEP_KIND}:{batch.id}:"
    pending = Timer.objects.filter(key__startswith=prefix, status=TimerStatus.PENDING).first()
    if pending is not None:
        return pending
    due = (now + STALE).replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return timer_schedule(
        kind=SWEEP_KIND,
        key=f"{prefix}{due:%Y%m%dT%H%M}",
        due_at=due,
        payload={"batch": batch.id},
    )


def plan_sweep(*, batch_id: int, now: dt.datetime) -> dict[str, int]:
    """Queue again the batch's runs left "running" past ``STALE`` (their worker died), and
    arm the next sweep while runs are open. Failed runs stay failed: they have a reason an
    operator reads before starting them again."""
    batch = PlanBatch.objects.filter(id=batch_id).first()
    if batch is None:
        return {"requeued": 0, "open": 0}
    requeued = 0
    with transaction.atomic():
        stale = PlanRun.objects.filter(
            batch=batch, status=RunStatus.RUNNING, started_at__lt=now - STALE
        )
        for run in stale:
            if _requeue(run, now):
                _enqueue(run)
                requeued += 1
        still = PlanRun.objects.filter(
            batch=batch, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
        ).count()
        if still:
            plan_sweep_arm(batch, now=now)
    return {"requeued": requeued, "open": still}


def _requeue(run: PlanRun, now: dt.datetime) -> bool:
    """Queue a failed or abandoned run again; True when it was (conditional: no doubling)."""
    if run.status == RunStatus.FAILED:
        q = PlanRun.objects.filter(id=run.id, status=RunStatus.FAILED)
    elif run.status == RunStatus.RUNNING and run.started_at and run.started_at < now - STALE:
        q = PlanRun.objects.filter(id=run.id, status=RunStatus.RUNNING, started_at__lt=now - STALE)
    else:
        return False
    return q.update(status=RunStatus.QUEUED, queued_at=now, finished_at=None) == 1


@dataclass(frozen=True, slots=True)
class BatchProgress:
    batch: PlanBatch | None
    runs: list[PlanRun]  # the runs of the areas the reader dispatches, by area code
    counts: dict[str, int]  # status -> runs
    assigned: int
    unassigned: int

    @property
    def total(self) -> int:
        return len(self.runs)

    @property
    def finished(self) -> bool:
        return (
            bool(self.runs) and self.counts[RunStatus.QUEUED] + self.counts[RunStatus.RUNNING] == 0
        )


def province_plan_progress(
    *, day: dt.date, by: User | None, kind: str = PlanKind.PLAN
) -> BatchProgress:
    """The latest batch of ``kind`` for ``day``, its runs limited to the areas ``by`` sees."""
    if by is not None:
        require_role(by, *STARTERS)
    batch = PlanBatch.objects.filter(kind=kind, day=day).order_by("-created_at", "-id").first()
    runs: list[PlanRun] = []
    if batch is not None:
        runs = list(
            PlanRun.objects.filter(area_q(by), batch=batch)
            .select_related("area")
            .distinct()
            .order_by("area__code")
        )
    counts = Counter({s: 0 for s in RunStatus.values})
    counts.update(r.status for r in runs)
    return BatchProgress(
        batch,
        runs,
        dict(counts),
        sum(r.assigned or 0 for r in runs),
        sum(r.unassigned or 0 for r in runs),
    )


def night_plan_arm(*, day: dt.date) -> Timer:
    """Arm the durable timer that starts ``day``'s plan for every area the evening before.

    The time is ``GUIFAN_NIGHT_PLAN_AT`` (local, default 22:00); the timer re-arms the next
    night when it fires, so arming once keeps it going (``guifan plans arm``).
    """
    at = at_local(day - dt.timedelta(days=1), settings.GUIFAN_NIGHT_PLAN_AT)
    return timer_schedule(
        kind=NIGHT_KIND,
        key=f"{NIGHT_KIND}:{day.isoformat()}",
        due_at=at,
        payload={"day": day.isoformat()},
    )
