"""Dispatcher board: the area's day as a timeline and a map, reassign, run the optimizer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.dispatch.batches import province_plan_progress, province_plan_start
from guifan.apps.dispatch.board import (
    BoardDay,
    board_appointment,
    board_day,
    board_stamp,
    board_visit,
    reassign_candidates,
)
from guifan.apps.dispatch.drop import drop_arrival
from guifan.apps.dispatch.replan import dispatch_replan
from guifan.apps.dispatch.services import dispatch_plan, visit_reassign
from guifan.apps.orders.models import Appointment
from guifan.apps.orders.selectors import order_get, recent_events
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.board.forms import (
    BoardFilter,
    DropForm,
    PlanStartForm,
    ReassignForm,
    default_arrival,
)
from guifan.apps.web.board.present import (
    map_data,
    plan_run_rows,
    unplaced_rows,
    visit_rows,
    visit_view,
    warning_texts,
)
from guifan.apps.web.error_text import error_text
from guifan.apps.workforce.access import areas_for
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound
from guifan.textinput import whole_number

DISPATCH = (Role.DISPATCHER,)


def _filter(request: HtmxHttpRequest) -> BoardFilter:
    areas = areas_for(request.user)
    data = {
        "area": request.GET.get("area") or (areas[0].code if areas else ""),
        "date": request.GET.get("date") or local(clock_now()).date().isoformat(),
    }
    return BoardFilter(data, areas=areas)


def _context(board: BoardDay) -> dict[str, Any]:
    return {"board": board, "rows": visit_rows(board), "map": map_data(board)}


@require_GET
@role_required(*DISPATCH)
def index(request: HtmxHttpRequest) -> HttpResponse:
    form = _filter(request)
    if not form.is_valid():
        return render(request, "web/board/index.html", {"form": form}, status=422)
    board = board_day(
        area_code=form.cleaned_data["area"].code,
        day=form.cleaned_data["date"],
        now=clock_now(),
        by=request.user,
    )
    tiles = {
        "url": settings.GUIFAN_MAP_TILE_URL,
        "attribution": settings.GUIFAN_MAP_TILE_ATTRIBUTION,
    }
    return render(
        request, "web/board/index.html", {"form": form, "tiles": tiles, **_context(board)}
    )


@require_GET
@role_required(*DISPATCH)
def fragment(request: HtmxHttpRequest) -> HttpResponse:
    """The live part of the board; 204 (nothing to swap) while the stamp is unchanged."""
    form = _filter(request)
    if not form.is_valid():
        return HttpResponse(status=422)
    area, day, now = form.cleaned_data["area"].code, form.cleaned_data["date"], clock_now()
    if request.GET.get("stamp") == board_stamp(area_code=area, day=day, now=now, by=request.user):
        return HttpResponse(status=204)
    board = board_day(area_code=area, day=day, now=now, by=request.user)
    return render(request, "web/board/_board.html", _context(board))


def _panel(
    request: HtmxHttpRequest,
    appt: Appointment,
    form: ReassignForm | None = None,
    *,
    status: int = 200,
    error: str = "",
    done: str = "",
    warnings: list[str] | None = None,
) -> HttpResponse:
    order = order_get(order_id=appt.order_id, by=request.user, detail=False)
    if form is None:
        form = ReassignForm(
            initial={
                "technician": appt.technician_id,
                "arrival": default_arrival(appt.window_start, appt.planned_arrival),
                "version": order.version,
            },
            candidates=reassign_candidates(appointment=appt),
        )
    response = render(
        request,
        "web/board/_panel.html",
        {
            "appt": appt,
            "order": order,
            "view": visit_view(
                board_visit(appointment_id=appt.id, now=clock_now(), by=request.user)
            ),
            "events": recent_events(order_id=order.id),
            "form": form,
            "error": error,
            "done": done,
            "warnings": warnings or [],
            "assign_url": reverse("board:assign", args=[appt.id]),
        },
        status=status,
    )
    if done:
        response["HX-Trigger"] = "board-changed"
    return response


def _appointment(request: HtmxHttpRequest, appointment_id: int) -> Appointment:
    try:
        return board_appointment(appointment_id=appointment_id, by=request.user)
    except NotFound:
        raise Http404 from None


@require_GET
@role_required(*DISPATCH)
def visit(request: HtmxHttpRequest, appointment_id: int) -> HttpResponse:
    return _panel(request, _appointment(request, appointment_id))


@require_POST
@role_required(*DISPATCH)
def assign(request: HtmxHttpRequest, appointment_id: int) -> HttpResponse:
    """Reassign through the same service the API uses; a stale board is refused (409)."""
    return _assign(request, _appointment(request, appointment_id), request.POST)


@require_POST
@role_required(*DISPATCH)
def drop(request: HtmxHttpRequest, appointment_id: int) -> HttpResponse:
    """A visit dropped on a technician's row: its place in the route gives the arrival."""
    appt = _appointment(request, appointment_id)
    form = DropForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return _panel(request, appt, status=422, error=errors)
    try:
        arrival = drop_arrival(
            appointment_id=appt.id,
            technician_id=form.cleaned_data["technician"],
            dropped=form.cleaned_data["dropped"],
            by=request.user,
        )
    except GuifanError as exc:
        return _panel(request, appt, status=exc.http_status, error=error_text(exc))
    data = QueryDict(mutable=True)
    data.update(
        {
            "technician": str(form.cleaned_data["technician"]),
            "arrival": f"{arrival:%H:%M}",
            "version": str(form.cleaned_data["version"]),
        }
    )
    return _assign(request, appt, data)


def _assign(request: HtmxHttpRequest, appt: Appointment, posted: QueryDict) -> HttpResponse:
    candidates = reassign_candidates(appointment=appt)
    form = ReassignForm(posted, candidates=candidates)
    if not form.is_valid():
        return _panel(request, appt, form, status=422)
    try:
        visit_reassign(
            appointment_id=appt.id,
            technician_id=form.cleaned_data["technician"],
            arrival=form.cleaned_data["arrival"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
            confirmed=form.cleaned_data["confirmed"],
        )
    except GuifanError as exc:
        status = exc.http_status
        if exc.code == "visit.needs_confirmation":
            # Ask again with the warnings, for this technician and arrival only.
            data = posted.copy()
            data["warned"] = form.warned_key()
            data.pop("confirmed", None)
            form = ReassignForm(data, candidates=candidates)
            form.is_valid()
            return _panel(request, appt, form, status=status, warnings=warning_texts(exc))
        if exc.field in form.fields and exc.field != "version":
            form.add_error(exc.field, error_text(exc))
            return _panel(request, appt, form, status=status)
        return _panel(request, appt, form, status=status, error=error_text(exc))
    appt = _appointment(request, appt.id)
    done = _("Assigned to %(name)s, arriving %(time)s.") % {
        "name": appt.technician.name if appt.technician else "",
        "time": f"{local(appt.planned_arrival or appt.window_start):%H:%M}",
    }
    return _panel(request, appt, done=done)


def _refused(request: HtmxHttpRequest, exc: GuifanError) -> HttpResponse:
    return render(
        request, "web/board/_plan_result.html", {"error": error_text(exc)}, status=exc.http_status
    )


@require_POST
@role_required(*DISPATCH)
def replan(request: HtmxHttpRequest) -> HttpResponse:
    """Re-plan the rest of the day: absent technicians' visits move, late visits get a call."""
    form = BoardFilter(request.POST, areas=areas_for(request.user))
    if not form.is_valid():
        return render(request, "web/board/_plan_result.html", {"form": form}, status=422)
    absent = frozenset(
        n for x in request.POST.getlist("absent") if (n := whole_number(x)) is not None
    )
    try:
        outcome = dispatch_replan(
            area_code=form.cleaned_data["area"].code,
            day=form.cleaned_data["date"],
            now=clock_now(),
            by=request.user,
            absent=absent,
        )
    except GuifanError as exc:  # another plan of the area is running (area.busy)
        return _refused(request, exc)
    response = render(request, "web/board/_replan_result.html", {"outcome": outcome})
    response["HX-Trigger"] = "board-changed"
    return response


@require_POST
@role_required(*DISPATCH)
def plan(request: HtmxHttpRequest) -> HttpResponse:
    """Run the optimizer for the area's day: unassigned visits get technicians and times."""
    form = BoardFilter(request.POST, areas=areas_for(request.user))
    if not form.is_valid():
        return render(request, "web/board/_plan_result.html", {"form": form}, status=422)
    day: dt.date = form.cleaned_data["date"]
    try:
        result = dispatch_plan(
            area_code=form.cleaned_data["area"].code, day=day, now=clock_now(), by=request.user
        )
    except GuifanError as exc:  # another plan of the area is running (area.busy)
        return _refused(request, exc)
    response = render(
        request,
        "web/board/_plan_result.html",
        {"result": result, "unplaced": unplaced_rows(result)},
    )
    response["HX-Trigger"] = "board-changed"
    return response


def _plans_day(request: HtmxHttpRequest) -> dt.date:
    """The day asked for, or tomorrow (the night-before plan's day); a bad date is 404."""
    raw = request.GET.get("date", "")
    if not raw:
        return local(clock_now()).date() + dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Http404 from None


def _plans_context(request: HtmxHttpRequest, day: dt.date) -> dict[str, Any]:
    progress = province_plan_progress(day=day, by=request.user)
    return {
        "progress": progress,
        "day": day,
        "rows": plan_run_rows(progress),
        "night_at": settings.GUIFAN_NIGHT_PLAN_AT,
    }


@require_http_methods(["GET", "POST"])
@role_required(*DISPATCH)
def plans(request: HtmxHttpRequest) -> HttpResponse:
    """The dispatch centre's plan runs of a day: one row per area, started here or at night."""
    areas = areas_for(request.user)
    if request.method == "POST":
        form = PlanStartForm(request.POST, areas=areas)
        status, error = 422, ""
        if form.is_valid():
            day, area = form.cleaned_data["date"], form.cleaned_data["area"]
            try:
                province_plan_start(
                    day=day, by=request.user, now=clock_now(), areas=[area.code] if area else None
                )
            except GuifanError as exc:
                status, error = exc.http_status, error_text(exc)
            else:
                return redirect(f"{reverse('board:plans')}?date={day.isoformat()}")
        day = form.cleaned_data.get("date") or _plans_day(request)
        context = {**_plans_context(request, day), "form": form, "error": error}
        return render(request, "web/board/plans.html", context, status=status)
    day = _plans_day(request)
    form = PlanStartForm(initial={"date": day}, areas=areas)
    return render(request, "web/board/plans.html", {**_plans_context(request, day), "form": form})


@require_GET
@role_required(*DISPATCH)
def plans_live(request: HtmxHttpRequest) -> HttpResponse:
    """The progress table alone, polled while runs are queued or running."""
    return render(request, "web/board/_plans.html", _plans_context(request, _plans_day(request)))
