"""What a dispatcher is warned of before assigning by hand (issue 16): the technician is
already busy then, the visit ends after the shift, or the arrival leaves DSP-02's margin.

These are warnings, not refusals: the dispatcher may know better (a short job, agreed
overtime), so ``visit_reassign`` asks for a confirmation instead of saying no. They are
read before the order is locked (like the road time): advice on what the dispatcher saw,
not a guarantee against a booking made in the same second.
"""

from __future__ import annotations

import datetime as dt

from guifan.apps.dispatch.problem import service_minutes
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import AppointmentStatus
from guifan.apps.orders.models import Appointment
from guifan.apps.workforce.models import Shift
from guifan.apps.workforce.models import Technician as TechnicianRow
from guifan.clock import ZONE, local


def on_site(a: Appointment, arrival: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When the technician is at ``a``: from the arrival until the work is done (it starts
    at the window's start at the earliest)."""
    start = max(arrival, a.window_start)
    return arrival, start + dt.timedelta(minutes=service_minutes(a.order.work_type))


def reassign_warnings(appt: Appointment, tech: TechnicianRow, at: dt.datetime) -> list[str]:
    """Why the dispatcher should look twice before ``appt`` goes to ``tech`` arriving ``at``."""
    start, end = on_site(appt, at)
    others = (
        Appointment.objects.filter(
            technician=tech,
            date=appt.date,
            status=AppointmentStatus.ACTIVE,
            planned_arrival__isnull=False,
        )
        .exclude(id=appt.id)
        .select_related("order")
        .order_by("planned_arrival")
    )
    warnings = []
    for other in others:
        s, e = on_site(other, other.planned_arrival or other.window_start)
        if s < end and start < e:
            warnings.append(
                f"与工单 {other.order.number} 的上门时间重叠（{local(s):%H:%M}–{local(e):%H:%M}）。"
            )
    shift = Shift.objects.filter(technician=tech, date=appt.date).first()
    if shift is None:
        warnings.append(f"{tech.name} 当天没有班次。")
    else:
        if at < dt.datetime.combine(appt.date, shift.start, tzinfo=ZONE):
            warnings.append(f"到达时间早于 {tech.name} 的上班时间 {shift.start:%H:%M}。")
        if end > dt.datetime.combine(appt.date, shift.end, tzinfo=ZONE):
            warnings.append(
                f"预计 {local(end):%H:%M} 完工，晚于 {tech.name} 的下班时间 {shift.end:%H:%M}。"
            )
    warnings.extend(_early_warning(appt, at))
    return warnings


def _early_warning(appt: Appointment, at: dt.datetime) -> list[str]:
    """DSP-02: the arrival should leave the catalog's early margin before the window."""
    norms = norms_snapshot()
    low = norms.minutes("DSP-02", "early_min_minutes")
    high = norms.minutes("DSP-02", "early_max_minutes")
    early = int((appt.window_start - at).total_seconds() // 60)
    if low <= early <= high:
        return []
    rule = f"DSP-02 要求提前 {low}–{high} 分钟。"
    if early < 0:
        return [f"晚于时间窗开始 {-early} 分钟到达，{rule}"]
    return [f"提前 {early} 分钟到达，{rule}"]
