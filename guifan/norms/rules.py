"""Pure rule checks for orders and appointments; each returns a Verdict naming its norm.

Times are aware datetimes; wall-clock parts of a rule are read in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt

from guifan.clock import ZONE, at_local, local
from guifan.norms.catalog import NormSet
from guifan.norms.reasons import reason
from guifan.norms.verdict import Verdict

LEAD_KINDS = frozenset({"install", "move"})


def _hhmm(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def quiet_hours(ns: NormSet) -> tuple[dt.time, dt.time]:
    return _hhmm(ns.param("APT-03", "quiet_start")), _hhmm(ns.param("APT-03", "quiet_end"))


def in_quiet_hours(at: dt.datetime, ns: NormSet, *, is_end: bool = False) -> bool:
    """Whether ``at`` falls in 20:00–08:00 local. A window may end exactly at quiet start."""
    start, end = quiet_hours(ns)
    t = local(at).time()
    if is_end:
        return t > start or t <= end
    return t >= start or t < end


def check_slot(
    *, kind: str, booked_at: dt.datetime, start: dt.datetime, end: dt.datetime, ns: NormSet
) -> Verdict:
    """APT-03: install/move slots start ≥ lead after booking; no slot in the quiet hours; no
    slot already over, none beyond the booking horizon (``max_lead_days``)."""
    if end <= booked_at:
        return Verdict.broke("APT-03", reason("apt03.window_passed"), field="window_start")
    horizon = ns.param("APT-03", "max_lead_days")
    if local(start).date() > local(booked_at).date() + dt.timedelta(days=horizon):
        return Verdict.broke("APT-03", reason("apt03.too_far", days=horizon), field="date")
    if ns.param("APT-03", "allow_extended_hours") is not True and (
        in_quiet_hours(start, ns) or in_quiet_hours(end, ns, is_end=True)
    ):
        q0, q1 = quiet_hours(ns)
        quiet = reason("apt03.quiet_hours", quiet_start=f"{q0:%H:%M}", quiet_end=f"{q1:%H:%M}")
        return Verdict.broke("APT-03", quiet, field="window_start")
    lead = dt.timedelta(hours=ns.param("APT-03", "min_lead_hours"))
    if kind in LEAD_KINDS and start < booked_at + lead:
        hours = ns.param("APT-03", "min_lead_hours")
        return Verdict.broke("APT-03", reason("apt03.lead_time", hours=hours), field="date")
    return Verdict.keep("APT-03")


def check_window(*, start: dt.datetime, end: dt.datetime, ns: NormSet) -> Verdict:
    """APT-01: a confirmed window is at most ``confirmed_window_minutes`` long."""
    limit = ns.minutes("APT-01", "confirmed_window_minutes")
    minutes = (end - start).total_seconds() / 60
    if minutes <= 0:
        return Verdict.broke("APT-01", reason("apt01.end_before_start"), field="window_end")
    if minutes > limit:
        return Verdict.broke(
            "APT-01",
            reason("apt01.window_too_long", limit=limit),
            field="window_end",
            minutes=minutes,
        )
    return Verdict.keep("APT-01", minutes=minutes)


def half_day_bounds(day: dt.date, half_day: str, ns: NormSet) -> tuple[dt.datetime, dt.datetime]:
    """AM is quiet-end to 12:00, PM is 13:00 to quiet-start (local)."""
    q_start, q_end = quiet_hours(ns)
    if half_day == "am":
        return at_local(day, q_end), at_local(day, "12:00")
    return at_local(day, "13:00"), at_local(day, q_start)


def first_contact_deadline(*, tier: str, received_at: dt.datetime, ns: NormSet) -> dt.datetime:
    """APT-02: first contact within the tier's hours of acceptance."""
    hours = ns.param("APT-02", "deadline_hours")[tier]
    return received_at + dt.timedelta(hours=hours)


def reconfirm_deadline(*, day: dt.date, ns: NormSet) -> dt.datetime:
    """APT-04: the reconfirmation is due by 09:00 on the appointment day."""
    return at_local(day, ns.param("APT-04", "reconfirm_deadline"))


def arrival_notice_due(*, planned_arrival: dt.datetime, ns: NormSet) -> dt.datetime:
    return planned_arrival - dt.timedelta(minutes=ns.minutes("APT-07", "notice_minutes"))


def check_arrival_notice(
    *, sent_at: dt.datetime | None, planned_arrival: dt.datetime, ns: NormSet
) -> Verdict:
    """APT-07: the notice lands notice_minutes before arrival, within the tolerance."""
    if sent_at is None:
        return Verdict.broke("APT-07", reason("apt07.not_notified"))
    lead = (planned_arrival - sent_at).total_seconds() / 60
    target = ns.minutes("APT-07", "notice_minutes")
    tol = ns.minutes("APT-07", "tolerance_minutes")
    if target - tol <= lead <= target + tol:
        return Verdict.keep("APT-07", lead_minutes=round(lead, 1))
    return Verdict.broke(
        "APT-07",
        reason("apt07.notice_lead", lead=lead, target=target, tol=tol),
        lead_minutes=round(lead, 1),
    )


def callback_minutes(*, service_type: str, ns: NormSet) -> int:
    """ORD-03: 30 min for telecom services, 2 h for appliance / PC repair."""
    name = (
        "callback_minutes_appliance" if service_type == "appliance" else "callback_minutes_telecom"
    )
    return ns.minutes("ORD-03", name)


def repair_deadline(*, received_at: dt.datetime, ns: NormSet) -> dt.datetime:
    """ORD-08: end of the acceptance day (当日修) unless the parameter gives hours."""
    rule = ns.param("ORD-08", "repair_deadline")
    if isinstance(rule, int | float):
        return received_at + dt.timedelta(hours=rule)
    day = local(received_at).date()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=ZONE)


def escalation_warning(*, deadline: dt.datetime, ns: NormSet) -> dt.datetime:
    return deadline - dt.timedelta(minutes=ns.minutes("QA-04", "warn_minutes_before"))


def provider_reason_counts_against_team(reason_code: str) -> bool:
    """APT-06: every reason but the customer's own counts against the team."""
    return reason_code != "customer side"
