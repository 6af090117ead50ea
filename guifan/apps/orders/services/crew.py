"""One joint visit for all products of an order (ORD-11), with one contact technician.

An order is one appointment, so its products are never split across visits. When the lines
need certificates the lead technician lacks, helpers certified for them go with the lead; a
crew of more than one names exactly one contact for the customer. The day planner plans the
visit for the lead alone (the solver sees one job) and then adds the helpers as assistants
(:func:`visit_crew_plan`, called from ``dispatch.apply``): the helpers' own routes are not
re-timed, which keeps the optimizer unchanged. Saving a multi-technician crew without a
contact, or one that leaves a product uncovered, is refused and recorded as ORD-11 broken.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.orders.access import Act
from guifan.apps.orders.models import VisitCrew, WorkOrder
from guifan.apps.orders.services.records import order_lock, verdict_record
from guifan.apps.orders.services.refusals import Refused
from guifan.apps.workforce.access import area_may_dispatch
from guifan.apps.workforce.models import Certification, Technician
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import NotFound, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason


def _line_work_type(order: WorkOrder, product: str) -> str:
    kind = order.work_type.rsplit("_", 1)[-1]
    return f"{product}_{kind}"


def _certified(tech_ids: list[int], work_types: list[str], day: dt.date) -> dict[int, set[str]]:
    held: dict[int, set[str]] = {t: set() for t in tech_ids}
    for tech, work_type in Certification.objects.filter(
        technician_id__in=tech_ids, work_type__in=work_types, valid_until__gte=day
    ).values_list("technician_id", "work_type"):
        held[tech].add(work_type)
    return held


def _day(order: WorkOrder) -> dt.date:
    appt = order.appointments.order_by("-id").first()
    return appt.date if appt is not None else local(clock_now()).date()


@refusals_remembered
@transaction.atomic
def visit_crew_set(
    *,
    order_id: int,
    technician_ids: list[int],
    contact_id: int | None,
    expected_version: int | None,
    by: User | None,
) -> list[VisitCrew]:
    """Save the crew of the order's one visit: every product covered, one contact."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.OFFICE, expected_version=expected_version)
    ids = list(dict.fromkeys(technician_ids))
    if not ids:
        raise ValidationFailed("crew.empty", "须至少指定一名装维人员", field="technician_ids")
    techs = {t.id: t for t in Technician.objects.filter(id__in=ids, active=True)}
    for tech_id in ids:
        tech = techs.get(tech_id)
        if tech is None or not area_may_dispatch(by, tech.area):
            raise NotFound(
                "technician.not_found",
                f"装维人员 {tech_id} 不存在或不在岗",
                field="technician_ids",
            )
    if order.technician_id is not None and order.technician_id not in ids:
        raise ValidationFailed(
            "crew.lead_missing", "已派工的装维人员须在协同人员中", field="technician_ids"
        )
    lines = {p: _line_work_type(order, p) for p in order.product_lines}
    held = _certified(ids, list(lines.values()), _day(order))
    uncovered = [p for p, wt in lines.items() if not any(wt in held[t] for t in ids)]
    if uncovered:
        raise Refused(
            "crew.uncovered",
            f"协同人员均无 {'、'.join(uncovered)} 的资格认证，不能一次同时上门",
            rule="ORD-11",
            field="technician_ids",
            order_id=order.id,
            by=by,
        )
    if len(ids) > 1 and (contact_id is None or contact_id not in ids):
        raise Refused(
            "crew.no_contact",
            "多人协同上门须指定其中一人负责联系客户",
            rule="ORD-11",
            field="contact_id",
            order_id=order.id,
            by=by,
        )
    contact = contact_id if contact_id in ids else ids[0]
    before = list(VisitCrew.objects.filter(order=order).values_list("technician_id", flat=True))
    VisitCrew.objects.filter(order=order).delete()
    crew = [
        VisitCrew.objects.create(
            order=order,
            technician_id=t,
            is_contact=t == contact,
            products=[p for p, wt in lines.items() if wt in held[t]],
        )
        for t in ids
    ]
    audit_record(
        actor=by,
        action="order.crew",
        obj=order,
        before={"crew": before},
        after={"crew": ids, "contact": contact},
    )
    if len(lines) > 1:
        badge = techs[contact].badge_no
        why = (
            reason("ord11.crew_together", crew=len(ids), badge=badge)
            if len(ids) > 1
            else reason("ord11.one_visit_all", badge=badge, products=len(lines))
        )
        verdict_record(order, Verdict.keep("ORD-11", why), at=now, by=by)
    return crew


def visit_crew_plan(*, order_id: int, day: dt.date, by: User | None) -> list[VisitCrew]:
    """The planner's crew for a multi-product order just assigned to its lead: the lead as
    contact plus, per product the lead lacks, the area's certified technician on shift with
    the fewest crew visits that day. None at all for a single product."""
    order = WorkOrder.objects.select_related("area").get(id=order_id)
    lines = {p: _line_work_type(order, p) for p in order.product_lines}
    if len(lines) < 2 or order.technician_id is None:
        return []
    crew = [order.technician_id]
    held = _certified(crew, list(lines.values()), day)
    for work_type in lines.values():
        if any(work_type in held.get(t, set()) for t in crew):
            continue
        helper = (
            Technician.objects.filter(
                area=order.area,
                active=True,
                shifts__date=day,
                certifications__work_type=work_type,
                certifications__valid_until__gte=day,
            )
            .exclude(id__in=crew)
            .annotate(
                load=Count("crew_visits", filter=Q(crew_visits__order__appointments__date=day))
            )
            .order_by("load", "id")
            .first()
        )
        if helper is not None:
            crew.append(helper.id)
            held.update(_certified([helper.id], list(lines.values()), day))
    try:
        return visit_crew_set(
            order_id=order_id,
            technician_ids=crew,
            contact_id=order.technician_id,
            expected_version=None,
            by=by,
        )
    except Refused:
        return []  # recorded: no certified helper for a line on that day
