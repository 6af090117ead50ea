"""What a dispatcher is warned of before assigning by hand (issue 16): the technician is
already busy then, the visit ends after the shift, or the arrival leaves DSP-02's margin.

These are warnings, not refusals: the dispatcher may know better (a short job, agreed
overtime), so the board's ``visit_reassign`` and the API's ``visit_assign`` (when asked
with ``confirm``) answer 409 ``visit.needs_confirmation`` instead of saying no, and assign
once confirmed. Each warning names its rule: ``double_booking``, ``shift_start``,
``shift_end``, ``no_shift`` or ``DSP-02``. They live here, below dispatch, so that the
orders API and the board ask the same questions.
"""

from __future__ import annotations

import datetime as dt

from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import AppointmentStatus
from guifan.apps.orders.models import Appointment
from guifan.apps.workforce.models import Shift
from guifan.apps.workforce.models import Technician as TechnicianRow
from guifan.clock import ZONE, local
from guifan.errors import Conflict

# Minutes on site by the work type's kind (``broadband_repair`` → repair).
SERVICE_MINUTES = {"install": 75, "move": 90, "repair": 45, "care": 60}


def service_minutes(work_type: str) -> int:
    """Minutes on site for a work type (``broadband_repair`` → repair)."""
    return SERVICE_MINUTES.get(work_type.rsplit("_", 1)[-1], 60)


def on_site(a: Appointment, arrival: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When the technician is at ``a``: from the arrival until the work is done (it starts
    at the window's start at the earliest)."""
    start = max(arrival, a.window_start)
    return arrival, start + dt.timedelta(minutes=service_minutes(a.order.work_type))


def reassign_warnings(appt: Appointment, tech: TechnicianRow, at: dt.datetime) -> list[str]:
    """Why the dispatcher should look twice before ``appt`` goes to ``tech`` arriving ``at``."""
    return [message for _, message in assign_checks(appt, tech, at)]


def assign_confirmation_needed(appt: Appointment, tech: TechnicianRow, at: dt.datetime) -> None:
    """Refuse with 409 ``visit.needs_confirmation`` when there is anything to warn of: the
    warnings in ``extra`` (messages) and in the error body (each with its rule)."""
    checks = _checks(appt, tech, at)
    if not checks:
        return
    found = [(kind.split(".")[0], message) for kind, message, _ in checks]
    messages = [message for _, message in found]
    raise Conflict(
        "visit.needs_confirmation",
        "请确认：" + "".join(messages),
        field="confirmed",
        rule=found[0][0],
        extra={
            "warnings": messages,
            "checks": [{"rule": rule, "message": message} for rule, message in found],
            # The same warnings as (kind, values), for a page in another language.
            "warning_values": [(kind, values) for kind, _, values in checks],
        },
    )


def assign_checks(appt: Appointment, tech: TechnicianRow, at: dt.datetime) -> list[tuple[str, str]]:
    """Each warning as (rule, message), in the order the dispatcher reads them."""
    return [(kind.split(".")[0], message) for kind, message, _ in _checks(appt, tech, at)]


def _checks(
    appt: Appointment, tech: TechnicianRow, at: dt.datetime
) -> list[tuple[str, str, dict[str, str]]]:
    """Each warning as (kind, Chinese message, the values in it); the kind is the rule,
    or the rule and which side of it (``DSP-02.early``, ``DSP-02.late``)."""
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
    warnings: list[tuple[str, str, dict[str, str]]] = []
    for other in others:
        s, e = on_site(other, other.planned_arrival or other.window_start)
        if s < end and start < e:
            number, since, until = other.order.number, f"{local(s):%H:%M}", f"{local(e):%H:%M}"
            warnings.append(
                (
                    "double_booking",
                    f"与工单 {number} 的上门时间重叠（{since}–{until}）。",
                    {"number": number, "start": since, "end": until},
                )
            )
    shift = Shift.objects.filter(technician=tech, date=appt.date).first()
    if shift is None:
        warnings.append(("no_shift", f"{tech.name} 当天没有班次。", {"name": tech.name}))
    else:
        shift_start, shift_end = f"{shift.start:%H:%M}", f"{shift.end:%H:%M}"
        if at < dt.datetime.combine(appt.date, shift.start, tzinfo=ZONE):
            warnings.append(
                (
                    "shift_start",
                    f"到达时间早于 {tech.name} 的上班时间 {shift_start}。",
                    {"name": tech.name, "start": shift_start},
                )
            )
        if end > dt.datetime.combine(appt.date, shift.end, tzinfo=ZONE):
            done = f"{local(end):%H:%M}"
            warnings.append(
                (
                    "shift_end",
                    f"预计 {done} 完工，晚于 {tech.name} 的下班时间 {shift_end}。",
                    {"name": tech.name, "done": done, "end": shift_end},
                )
            )
    warnings.extend(_early_warning(appt, at))
    return warnings


def _early_warning(appt: Appointment, at: dt.datetime) -> list[tuple[str, str, dict[str, str]]]:
    """DSP-02: the arrival should leave the catalog's early margin before the window."""
    norms = norms_snapshot()
    low = norms.minutes("DSP-02", "early_min_minutes")
    high = norms.minutes("DSP-02", "early_max_minutes")
    early = int((appt.window_start - at).total_seconds() // 60)
    if low <= early <= high:
        return []
    rule = f"DSP-02 要求提前 {low}–{high} 分钟。"
    values = {"minutes": str(abs(early)), "low": str(low), "high": str(high)}
    if early < 0:
        return [("DSP-02.late", f"晚于时间窗开始 {-early} 分钟到达，{rule}", values)]
    return [("DSP-02.early", f"提前 {early} 分钟到达，{rule}", values)]
