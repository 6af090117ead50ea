"""Board rows and map points ready for the templates (labels, CSS states, local times)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from guifan.apps.dispatch.board import DAY_END, DAY_START, BoardDay, BoardVisit
from guifan.apps.dispatch.services import PlanResult
from guifan.apps.web.labels import ORDER_STATUS, TIER, label, work_type_text
from guifan.apps.web.templatetags.order_events import event_time, event_what
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
    what = work_type_text(v.service_type, v.kind)
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


class _Urls:
    """The visit URLs of a board, reversed once (a busy day has hundreds of visits)."""

    MARK = 987654321

    def __init__(self) -> None:
        self.assign = reverse("board:assign", args=[self.MARK])
        self.visit = reverse("board:visit", args=[self.MARK])

    def of(self, pattern: str, appointment_id: int) -> str:
        return pattern.replace(str(self.MARK), str(appointment_id))


def timeline_items(x: dict[str, Any], urls: _Urls, late_text: str) -> SafeString:
    """A visit's window, drive and block on its technician's timeline, as the page shows them.

    Built in Python, not in the template: a province's busy area has 300 visits a day, and
    the template language spent most of the board's time on them (ADR 0031).
    """
    v: BoardVisit = x["v"]
    travel = (
        format_html(
            '<li class="tl-travel" data-left="{}" data-width="{}" aria-hidden="true"></li>',
            v.travel_left,
            v.travel_width,
        )
        if v.travel_width
        else ""
    )
    event = f"{event_time(v.last_event)} {event_what(v.last_event)}" if v.last_event else ""
    alerts = format_html_join(
        "", '<span class="alert-badge">{}</span> ', ((a,) for a in x["alerts"])
    )
    return format_html(
        '<li class="tl-window" data-left="{}" data-width="{}" aria-hidden="true"></li>\n'
        "      {}\n"
        '      <li class="tl-visit s-{}" data-left="{}" data-width="{}">\n'
        '        <button type="button" {}\n'
        '          data-appointment="{}" data-version="{}"\n'
        '          data-assign="{}"\n'
        '          data-card-number="{}" data-address="{}" data-phone="{}"\n'
        '          data-status="{}" data-event="{}"\n'
        '          hx-get="{}" hx-target="#panel">{}<span class="b-what">{} · </span>{} · {} · '
        '<span class="num">{}</span>'
        '<span class="sr-only"> · {} · {}{}</span></button>\n'
        "      </li>",
        v.window_left,
        v.window_width,
        travel,
        x["state"],
        v.left,
        v.width,
        SafeString('draggable="true"') if x["movable"] else "",
        v.appointment_id,
        v.version,
        urls.of(urls.assign, v.appointment_id),
        v.number,
        v.address,
        v.phone,
        x["status"],
        event,
        urls.of(urls.visit, v.appointment_id),
        alerts,
        x["what"],
        x["tier"],
        v.customer,
        x["window"],
        v.number,
        x["status"],
        f" · {late_text}" if v.late_risk else "",
    )


def visit_rows(board: BoardDay) -> dict[str, Any]:
    span = DAY_END - DAY_START
    urls, late_text = _Urls(), _("late risk")
    techs = []
    for r in board.rows:
        visits = [visit_view(v) for v in r.visits]
        for x in visits:
            x["html"] = timeline_items(x, urls, late_text)
        techs.append({"row": r, "visits": visits, "late": sum(v.late_risk for v in r.visits)})
    return {
        "hours": [{"h": h, "left": round((h - DAY_START) / span * 100, 3)} for h in board.hours],
        "techs": techs,
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


def plan_run_status_labels() -> dict[str, str]:
    return {
        "queued": _("Queued"),
        "running": _("Planning"),
        "done": _("Done"),
        "failed": _("Failed"),
    }


def plan_run_reason(code: str, reason: str) -> str:
    """Why a run waits or failed, in the page's language where the code is known. An
    unexpected error's text (a Python exception, in English) stays in the worker's log."""
    known = {
        "area.busy": _("Another plan of this area was running: tried again shortly."),
        "error": _("The plan stopped with an error (see the worker log)."),
        "area.not_found": _("The area no longer exists."),
    }
    return known.get(code, reason)


def plan_run_rows(progress: Any) -> list[dict[str, Any]]:
    """One row per area of a batch (``dispatch.batches.BatchProgress``) for the progress table."""
    labels = plan_run_status_labels()
    css = {"queued": "", "running": "warn", "done": "ok", "failed": "bad"}
    rows = []
    for r in progress.runs:
        seconds = None
        if r.started_at and r.finished_at and r.status in ("done", "failed"):
            seconds = round((r.finished_at - r.started_at).total_seconds(), 1)
        rows.append(
            {
                "code": r.area.code,
                "name": r.area.name,
                "status": labels.get(r.status, r.status),
                "css": css.get(r.status, ""),
                "attempts": r.attempts,
                "started": f"{local(r.started_at):%H:%M:%S}" if r.started_at else "",
                "seconds": seconds,
                "assigned": r.assigned,
                "unassigned": r.unassigned,
                "skipped": r.skipped,
                "reason": plan_run_reason(r.reason_code, r.reason) if r.reason_code else "",
            }
        )
    return rows
