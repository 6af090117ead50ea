"""Apply a solved plan: lock the orders it touches and skip any changed since the rows were read.

Plan and re-plan solve outside any transaction (the road-time service and the solver take
seconds), so a dispatcher or a technician may change a visit meanwhile. Inside the short
apply transaction each order is locked and compared with the version it was read at; a
changed one is left alone and reported, never overwritten with a plan made from old rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from guifan.apps.accounts.models import User
from guifan.apps.dispatch.problem import DayProblem, day_instant
from guifan.apps.orders.choices import AppointmentStatus
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.apps.orders.services import visit_assign
from guifan.apps.orders.services.crew import visit_crew_plan
from guifan.errors import Conflict, NotFound, RuleViolation
from guifan.optimize.result import Stop

CHANGED = "排程期间工单已被修改，本次未覆盖，请重新排程"


def lock_unchanged(
    problem: DayProblem, jobs: Iterable[str]
) -> tuple[set[str], list[tuple[Appointment, str]]]:
    """Lock the jobs' orders (in id order: two plans never deadlock); return the jobs whose
    order and appointment are as read, and the changed ones with the reason."""
    visits = {job: problem.visits[job] for job in jobs}
    order_ids = {a.order_id for a in visits.values()}
    versions = dict(
        WorkOrder.objects.select_for_update()
        .filter(id__in=order_ids)
        .order_by("id")
        .values_list("id", "version")
    )
    active = set(
        Appointment.objects.filter(
            id__in=[a.id for a in visits.values()], status=AppointmentStatus.ACTIVE
        ).values_list("id", flat=True)
    )
    unchanged: set[str] = set()
    changed: list[tuple[Appointment, str]] = []
    for job, a in visits.items():
        if versions.get(a.order_id) == problem.version(job) and a.id in active:
            unchanged.add(job)
        else:
            changed.append((a, CHANGED))
    return unchanged, changed


def assign(
    a: Appointment, technician: str, stop: Stop, day: dt.date, *, by: User | None
) -> str | None:
    """Assign the visit as planned; the refusal's message if a rule now says no (e.g. DSP-05
    after a certification lapsed meanwhile). ``visit_assign`` runs in its own savepoint, so a
    refusal writes nothing; a permission refusal is not caught: it is the caller's answer."""
    try:
        visit_assign(
            order_id=a.order_id,
            technician_id=int(technician[1:]),
            planned_arrival=day_instant(stop.arrive, day),
            planned_departure=day_instant(stop.depart, day),
            by=by,
        )
    except (Conflict, NotFound, RuleViolation) as exc:
        return exc.message
    # ORD-11: the solver planned the joint visit for its lead; the helpers go along with them.
    visit_crew_plan(order_id=a.order_id, day=day, by=by)
    return None
