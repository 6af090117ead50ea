"""The dispatcher board's read model: one service area's day per technician, plus the
unassigned visits, late-risk flags and map positions (computed here, not in templates)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Max, Subquery

from guifan.apps.accounts.models import User
from guifan.apps.orders.access import Act, order_may
from guifan.apps.orders.choices import AppointmentStatus, Status
from guifan.apps.orders.models import Appointment, OrderEvent
from guifan.apps.orders.services.assign_checks import service_minutes
from guifan.apps.workforce.access import area_get_for
from guifan.apps.workforce.models import Certification, ServiceArea, Shift, Technician
from guifan.apps.workforce.readiness import readiness_gaps
from guifan.clock import ZONE, local
from guifan.errors import NotFound
from guifan.norms.reasons import Reason

# The timeline's hours (local time); visits outside are clipped to the edge.
DAY_START, DAY_END = 7, 21
NOT_STARTED = (Status.SCHEDULED, Status.DISPATCHED)
# The day's visits still to come and those already made (not the moved or cancelled ones).
SHOWN = (AppointmentStatus.ACTIVE, AppointmentStatus.DONE)
UNDER_WAY = (Status.EN_ROUTE, Status.ON_SITE)


@dataclass(frozen=True, slots=True)
class BoardVisit:
    appointment_id: int
    order_id: int
    number: str
    version: int
    status: str
    tier: str
    service_type: str
    kind: str
    customer: str  # surname and title only (张先生): the board never shows the full name
    phone: str  # masked (SEC-01)
    address: str
    lat: float
    lon: float
    window_start: dt.datetime
    window_end: dt.datetime
    planned_arrival: dt.datetime | None
    planned_departure: dt.datetime | None
    minutes: int
    technician_id: int | None
    confirmed: bool
    late_risk: bool
    last_event: OrderEvent | None = None  # shown in the page language by the web layer
    # QA-05: chaser / complaint_risk / hard_fault reported on the order (raise its priority).
    alerts: tuple[str, ...] = ()
    # Timeline geometry in percent of the day's width.
    left: float = 0.0
    width: float = 0.0
    window_left: float = 0.0
    window_width: float = 0.0
    # The planned drive to the visit (departure → arrival); zero width when not planned.
    travel_left: float = 0.0
    travel_width: float = 0.0


@dataclass(frozen=True, slots=True)
class BoardRow:
    technician_id: int
    name: str
    badge_no: str
    lat: float
    lon: float
    shift: str
    visits: list[BoardVisit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BoardDay:
    area: ServiceArea
    day: dt.date
    now: dt.datetime
    rows: list[BoardRow]
    unassigned: list[BoardVisit]
    stamp: str
    hours: list[int]
    now_left: float | None

    @property
    def late_count(self) -> int:
        return sum(v.late_risk for r in self.rows for v in r.visits)


def _pct(at: dt.datetime, day: dt.date) -> float:
    start = dt.datetime.combine(day, dt.time(DAY_START), tzinfo=ZONE)
    span = (DAY_END - DAY_START) * 60
    minutes = (at - start).total_seconds() / 60
    return round(min(max(minutes / span, 0.0), 1.0) * 100, 3)


def _late_risk(
    status: str, order_id: int, window_end: dt.datetime, flagged: set[int], now: dt.datetime
) -> bool:
    """At risk: the DSP-04 check flagged it since its dispatch, or the window has passed
    while the visit has not started."""
    if status not in (*NOT_STARTED, Status.EN_ROUTE):
        return False
    return order_id in flagged or now > window_end


def customer_label(name: str, title: str) -> str:
    """The surname and the title (张先生), never the full name: the board is on a wall."""
    return f"{name[:1]}{title}"


def _visit(
    a: Appointment,
    day: dt.date,
    flagged: set[int],
    now: dt.datetime,
    last_events: dict[int, OrderEvent] | None = None,
    *,
    alerts: dict[int, tuple[str, ...]] | None = None,
) -> BoardVisit:
    minutes = service_minutes(a.order.work_type)
    start = a.planned_arrival or a.window_start
    left = _pct(start, day)
    end = _pct(max(start, a.window_start) + dt.timedelta(minutes=minutes), day)
    return BoardVisit(
        appointment_id=a.id,
        order_id=a.order_id,
        number=a.order.number,
        version=a.order.version,
        status=a.order.status,
        tier=a.order.tier,
        service_type=a.order.service_type,
        kind=a.order.kind,
        customer=customer_label(a.order.customer.name, a.order.customer.title),
        phone=a.order.customer.masked_phone,
        address=a.order.address.text,
        lat=a.order.address.lat,
        lon=a.order.address.lon,
        window_start=a.window_start,
        window_end=a.window_end,
        planned_arrival=a.planned_arrival,
        planned_departure=a.planned_departure,
        minutes=minutes,
        technician_id=a.technician_id,
        confirmed=a.confirmed_at is not None,
        late_risk=_late_risk(a.order.status, a.order_id, a.window_end, flagged, now),
        last_event=(last_events or {}).get(a.order_id),
        alerts=(alerts or {}).get(a.order_id, ()),
        left=left,
        width=max(end - left, 0.8),
        window_left=_pct(a.window_start, day),
        window_width=max(_pct(a.window_end, day) - _pct(a.window_start, day), 0.5),
        **_travel(a, day, left),
    )


def _travel(a: Appointment, day: dt.date, arrival_left: float) -> dict[str, float]:
    if a.planned_departure is None or a.planned_arrival is None:
        return {}
    left = _pct(a.planned_departure, day)
    return {"travel_left": left, "travel_width": round(max(arrival_left - left, 0.0), 3)}


def _flagged(order_ids: list[int]) -> set[int]:
    """Orders whose latest late-risk event (DSP-04 check) is newer than their latest dispatch."""
    last: dict[int, dict[str, int]] = {}
    rows = (
        OrderEvent.objects.filter(order_id__in=order_ids, action__in=["late_risk", "dispatch"])
        .values("order_id", "action")
        .annotate(last=Max("id"))
    )
    for r in rows:
        last.setdefault(r["order_id"], {})[r["action"]] = r["last"]
    return {o for o, acts in last.items() if acts.get("late_risk", 0) > acts.get("dispatch", 0)}


# The order event an alert leaves (cases.alerts, QA-05): the board reads it, never the app.
PRIORITY_EVENT = "priority_alert"


def _alerts(order_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Each order's alert kinds (chaser, complaint_risk, hard_fault), for its priority."""
    found: dict[int, set[str]] = {}
    for order_id, detail in OrderEvent.objects.filter(
        order_id__in=order_ids, action=PRIORITY_EVENT
    ).values_list("order_id", "detail"):
        found.setdefault(order_id, set()).add(str((detail or {}).get("kind", "")))
    return {o: tuple(sorted(k for k in kinds if k)) for o, kinds in found.items()}


def _last_events(order_ids: list[int]) -> dict[int, OrderEvent]:
    """Each order's latest event (time and what happened), for the block's hover card."""
    latest = (
        OrderEvent.objects.filter(order_id__in=order_ids)
        .values("order_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    return {e.order_id: e for e in OrderEvent.objects.filter(id__in=Subquery(latest))}


def _stamp(area_code: str, day: dt.date, rows: list[tuple[object, ...]]) -> str:
    key = "|".join(":".join(str(x) for x in r) for r in rows)
    return hashlib.sha1(f"{area_code}{day}{key}".encode(), usedforsecurity=False).hexdigest()[:16]


def board_stamp(*, area_code: str, day: dt.date, now: dt.datetime, by: User | None) -> str:
    """The stamp ``board_day`` would give, from narrow queries (for idle live polls)."""
    area_get_for(by=by, code=area_code)
    rows = list(
        Appointment.objects.filter(order__area__code=area_code, date=day, status__in=SHOWN)
        .order_by("planned_arrival", "window_start", "id")
        .values_list(
            "id",
            "order_id",
            "order__version",
            "order__status",
            "technician_id",
            "planned_arrival",
            "window_end",
        )
    )
    flagged = _flagged([r[1] for r in rows])
    alerts = _alerts([r[1] for r in rows])
    late = [
        _late_risk(status, order_id, window_end, flagged, now)
        for _, order_id, _, status, _, _, window_end in rows
    ]
    return _stamp(
        area_code,
        day,
        [
            (r[0], r[2], r[4], r[5], is_late, alerts.get(r[1], ()))
            for r, is_late in zip(rows, late, strict=True)
        ],
    )


def board_day(*, area_code: str, day: dt.date, now: dt.datetime, by: User | None) -> BoardDay:
    """The area's day as the board shows it, for a dispatcher of the area (else 404)."""
    area = area_get_for(by=by, code=area_code)
    appts = list(
        Appointment.objects.filter(order__area=area, date=day, status__in=SHOWN)
        .select_related("order__customer", "order__address")
        .order_by("planned_arrival", "window_start", "id")
    )
    flagged = _flagged([a.order_id for a in appts])
    last_events = _last_events([a.order_id for a in appts])
    alerts = _alerts([a.order_id for a in appts])
    visits = [_visit(a, day, flagged, now, last_events, alerts=alerts) for a in appts]
    shifts = {
        s.technician_id: s
        for s in Shift.objects.filter(date=day, technician__area=area).select_related("technician")
    }
    tech_ids = set(shifts) | {v.technician_id for v in visits if v.technician_id}
    techs = Technician.objects.filter(id__in=tech_ids).order_by("badge_no")
    rows = []
    for t in techs:
        s = shifts.get(t.id)
        rows.append(
            BoardRow(
                technician_id=t.id,
                name=t.name,
                badge_no=t.badge_no,
                lat=t.home_lat,
                lon=t.home_lon,
                shift=f"{s.start:%H:%M}–{s.end:%H:%M}" if s else "",
                visits=[v for v in visits if v.technician_id == t.id],
            )
        )
    # Alerted orders first among the unassigned (QA-05 raises their priority); stable.
    unassigned = sorted((v for v in visits if v.technician_id is None), key=lambda v: not v.alerts)
    stamp = _stamp(
        area.code,
        day,
        [
            (v.appointment_id, v.version, v.technician_id, v.planned_arrival, v.late_risk, v.alerts)
            for v in visits
        ],
    )
    today = local(now).date() == day
    return BoardDay(
        area=area,
        day=day,
        now=now,
        rows=rows,
        unassigned=unassigned,
        stamp=stamp,
        hours=list(range(DAY_START, DAY_END)),
        now_left=_pct(now, day) if today else None,
    )


def board_appointment(*, appointment_id: int, by: User | None) -> Appointment:
    """A visit of an area ``by`` dispatches; any other is not found (no existence leak)."""
    a = (
        Appointment.objects.select_related(
            "order__customer", "order__address", "order__area", "technician"
        )
        .filter(id=appointment_id)
        .first()
    )
    if a is None or not order_may(a.order, by=by, act=Act.OFFICE):
        raise NotFound(
            "appointment.not_found", f"预约 {appointment_id} 不存在", field="appointment"
        )
    return a


def board_visit(*, appointment_id: int, now: dt.datetime, by: User | None) -> BoardVisit:
    """One visit as the board shows it (for the detail panel)."""
    a = board_appointment(appointment_id=appointment_id, by=by)
    return _visit(a, a.date, _flagged([a.order_id]), now)


@dataclass(frozen=True, slots=True)
class Candidate:
    technician_id: int
    name: str
    badge_no: str
    # May take the visit that day: a valid certificate for its work type (DSP-05) and
    # nothing STF-04 keeps them from the work for (expired certificate, missing training).
    certified: bool
    # Why not, when not: "no_certificate", "expired" (``expired_on`` says when) or
    # "unready" (``gaps``: the readiness checks' reasons, ``workforce.readiness``).
    reason: str = ""
    expired_on: dt.date | None = None
    gaps: tuple[Reason, ...] = ()


def reassign_candidates(*, appointment: Appointment) -> list[Candidate]:
    """The area's active technicians for a visit ``board_appointment`` returned: the
    certified and ready first (DSP-05, STF-04), then the others with the reason, who are
    shown but cannot take it."""
    order = appointment.order
    techs = list(Technician.objects.filter(area_id=order.area_id, active=True).order_by("badge_no"))
    certs = Certification.objects.filter(technician__in=techs, work_type=order.work_type)
    latest: dict[int, dt.date] = {}
    for tech_id, valid in certs.values_list("technician_id", "valid_until"):
        latest[tech_id] = max(valid, latest.get(tech_id, valid))
    found = []
    for t in techs:
        until = latest.get(t.id)
        if until is None:
            found.append(Candidate(t.id, t.name, t.badge_no, False, "no_certificate"))
        elif until < appointment.date:
            found.append(Candidate(t.id, t.name, t.badge_no, False, "expired", expired_on=until))
        elif gaps := readiness_gaps(t.badge_no, appointment.date):
            found.append(Candidate(t.id, t.name, t.badge_no, False, "unready", gaps=tuple(gaps)))
        else:
            found.append(Candidate(t.id, t.name, t.badge_no, True))
    return sorted(found, key=lambda c: not c.certified)
