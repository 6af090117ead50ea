"""Run one area's plan of a batch on the worker and record how it went (issue 18 §5).

A run is claimed by a conditional update (queued → running), so a task delivered twice plans
the area once. The plan itself holds the area's lock (``arealock``): when another plan of the
area is under way (a dispatcher's re-plan from the board, another batch), the run goes back to
the queue with the reason and is tried again a little later, up to ``MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import F

from guifan.apps.dispatch.models import PlanKind, PlanRun, RunStatus
from guifan.apps.dispatch.replan import dispatch_replan
from guifan.apps.dispatch.services import dispatch_plan
from guifan.clock import now as clock_now
from guifan.errors import GuifanError

log = logging.getLogger(__name__)

# A busy area is tried again after this many seconds, at most this many times in all.
RETRY_SECONDS = 20
MAX_ATTEMPTS = 30


@dataclass(frozen=True, slots=True)
class RunOutcome:
    status: str  # done, failed, retry (busy: queue again) or claimed (another task has it)
    retry_after: int = 0


def plan_run_execute(*, run_id: int, worker: str, now: dt.datetime) -> RunOutcome:
    """Plan the run's area as the system (the run was authorized when it was started)."""
    claimed = PlanRun.objects.filter(id=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=now,
        worker=worker[:64],
        attempts=F("attempts") + 1,
        reason_code="",
        reason="",
    )
    if not claimed:
        return RunOutcome("claimed")
    run = PlanRun.objects.select_related("batch", "area").get(id=run_id)
    day, code = run.batch.day, run.area.code
    try:
        if run.batch.kind == PlanKind.REPLAN:
            outcome = dispatch_replan(area_code=code, day=day, now=now, by=None)
            counts = (outcome.moved, len(outcome.proposals), len(outcome.skipped))
        else:
            result = dispatch_plan(area_code=code, day=day, now=now, by=None)
            counts = (result.assigned, len(result.unassigned), len(result.skipped))
    except GuifanError as exc:
        if exc.code == "area.busy" and run.attempts < MAX_ATTEMPTS:
            _finish(run, RunStatus.QUEUED, exc.code, exc.message, requeued=True)
            return RunOutcome("retry", RETRY_SECONDS)
        _finish(run, RunStatus.FAILED, exc.code, exc.message)
        return RunOutcome("failed")
    except Exception as exc:  # the run records any failure; the batch goes on
        log.exception("plan run %s (%s %s) failed", run_id, code, day)
        _finish(run, RunStatus.FAILED, "error", f"{type(exc).__name__}: {exc}")
        return RunOutcome("failed")
    PlanRun.objects.filter(id=run_id).update(
        status=RunStatus.DONE,
        finished_at=clock_now(),
        assigned=counts[0],
        unassigned=counts[1],
        skipped=counts[2],
    )
    return RunOutcome("done")


def _finish(run: PlanRun, status: str, code: str, reason: str, *, requeued: bool = False) -> None:
    at = clock_now()
    PlanRun.objects.filter(id=run.id).update(
        status=status,
        reason_code=code[:40],
        reason=reason[:300],
        finished_at=None if requeued else at,
        **({"queued_at": at} if requeued else {}),
    )
