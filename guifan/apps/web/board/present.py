"""Board rows and map points ready for the templates (labels, CSS states, local times)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from guifan.apps.dispatch.board import DAY_END, DAY_START, BoardDay, BoardVisit
from guifan.apps.dispatch.services import PlanResult
from guifan.apps.web.labels import ORDER_KIND, ORDER_STATUS, SERVICE_TYPE, TIER, label
from guifan.clock import local
from guifan.errors import GuifanError

DONE = ("completed", "bring_back", "callback", "closed")


def state(v: BoardVisit) -> str:
    """One CSS state per visit: late risk wins, then progress."""
    if v.late_risk:
        return "late"
    if v.status in DONE:
        return "done"
    if v.status in ("en_route", "on_site"):
        return "active"
    if v.technician_id is None:
        return "open"
    return "planned"


def alert_labels() -> dict[str, str]:
    return {
        "chaser": _("Chaser"),
        "complaint_risk": _("Complaint risk"),
        "hard_fault": _("Hard fault"),
    }


def unplaced_reason(code: str, reason: str) -> str:
    """The optimizer's reason for leaving a visit open, in the page's language (the service's
    Chinese text when the code is not one the board knows)."""
    labels = {
        "no_certified": _("No technician holds a valid certificate for this work type (DSP-05)"),
        "window_unreachable": _(
            "No certified technician can reach the visit within its window during a shift"
        ),
        "capacity": _(
            "Certified technicians have no hours left (short capacity goes by tier, DSP-01)"
        ),
        "capacity_break": _("The visit does not fit around the technician's lunch break"),
    }
    return labels.get(code, reason)


# A manual assignment's warnings (``orders.services.assign_checks``) by kind, for the pages
# in another language than the services' Chinese.
WARNING: dict[str, Promise] = {
    "double_booking": gettext_lazy("Overlaps the visit of order %(number)s (%(start)s–%(end)s)."),
    "no_shift": gettext_lazy("%(name)s has no shift that day."),
    "shift_start": gettext_lazy("The arrival is before %(name)s's shift starts at %(start)s."),
    "shift_end": gettext_lazy("The work ends at %(done)s, after %(name)s's shift ends at %(end)s."),
    "DSP-02.late": gettext_lazy(
        "Arrives %(minutes)s minutes after the window opens; DSP-02 asks for %(low)s–%(high)s "
        "minutes early."
    ),
    "DSP-02.early": gettext_lazy(
        "Arrives %(minutes)s minutes early; DSP-02 asks for %(low)s–%(high)s minutes early."
    ),
}


def warning_texts(exc: GuifanError) -> list[str]:
    """The warnings of a ``visit.needs_confirmation`` in the page's language (the services'
    own Chinese on the Chinese pages, as ``error_text``)."""
    messages = [str(m) for m in exc.extra.get("warnings", [])]
    if (get_language() or "zh-hans").startswith("zh"):
        return messages
    out = []
    for i, (kind, values) in enumerate(exc.extra.get("warning_values", [])):
        text = WARNING.get(kind)
        fallback = messages[i] if i < len(messages) else ""
        out.append(str(text) % values if text is not None else fallback)
    return out or messages


def unplaced_rows(result: PlanResult) -> list[tuple[str, str]]:
    """Each visit the optimizer could not place: its order number and why, translated."""
    return [(number, unplaced_reason(code, why)) for number, code, why in result.unplaced_codes]


def visit_view(v: BoardVisit) -> dict[str, Any]:
    arrival = local(v.planned_arrival).strftime("%H:%M") if v.planned_arrival else ""
    window = f"{local(v.window_start):%H:%M}–{local(v.window_end):%H:%M}"
    what = f"{label(SERVICE_TYPE, v.service_type)}{label(ORDER_KIND, v.kind)}"
    return {
        "v": v,
        "state": state(v),
        "status": label(ORDER_STATUS, v.status),
        "tier": label(TIER, v.tier),
        "what": what,
        "window": window,
        "arrival": arrival,
        "departure": local(v.planned_departure).strftime("%H:%M") if v.planned_departure else "",
        "movable": v.status in ("scheduled", "dispatched"),
        "alerts": [alert_labels().get(k, k) for k in v.alerts],
        "title": _("%(number)s %(what)s, window %(window)s")
        % {
            "number": v.number,
            "what": what,
            "window": window,
        },
    }


def visit_rows(board: BoardDay) -> dict[str, Any]:
    span = DAY_END - DAY_START
    return {
        "hours": [{"h": h, "left": round((h - DAY_START) / span * 100, 3)} for h in board.hours],
        "techs": [
            {
                "row": r,
                "visits": [visit_view(v) for v in r.visits],
                "late": sum(v.late_risk for v in r.visits),
            }
            for r in board.rows
        ],
        "unassigned": [visit_view(v) for v in board.unassigned],
    }


def map_data(board: BoardDay) -> dict[str, Any]:
    """Positions for the map: jobs, technicians' start points, and each route in order."""
    visits = [v for r in board.rows for v in r.visits] + board.unassigned
    jobs = [
        {
            "id": v.appointment_id,
            "lat": v.lat,
            "lon": v.lon,
            "state": "open" if v.technician_id is None else state(v),
            "label": f"{v.number} {local(v.window_start):%H:%M}",
            "tech": v.technician_id,
        }
        for v in visits
    ]
    techs = [
        {
            "id": r.technician_id,
            "lat": r.lat,
            "lon": r.lon,
            "label": f"{r.name} ({r.badge_no})",
            "route": [[r.lat, r.lon]] + [[v.lat, v.lon] for v in r.visits],
        }
        for r in board.rows
    ]
    return {
        "center": [board.area.lat, board.area.lon],
        "jobs": jobs,
        "techs": techs,
    }
