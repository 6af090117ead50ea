"""The duty manager's hall: counters, queues against targets, alerts, and opening counters."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall import services
from guifan.apps.hall.classes import ticket_class
from guifan.apps.hall.models import Counter, Hall, Ticket, TicketStatus
from guifan.apps.hall.monitor import hall_monitor_running, hall_monitor_today, hall_snapshot
from guifan.apps.hall.needs import NEEDS
from guifan.apps.hall.posts import post_get
from guifan.apps.hall.preprocess import STAFF_STEPS, ticket_preprocess
from guifan.apps.hall.selectors import hall_counters, open_alerts, openable_counters, queue_by_class
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.hall.labels import (
    ALERT_KIND,
    CLASS,
    COUNTER_STATUS,
    PREPROCESSING,
    TICKET_STATUS,
)
from guifan.apps.web.labels import label
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound, ValidationFailed
from guifan.textinput import whole_number

MANAGER = (Role.DUTY_MANAGER,)
WAITING_SHOWN = 20
LIVE = "web/hall/_overview_live.html"


def _alert_text(kind: str, detail: dict[str, Any]) -> str:
    if kind == "target_risk":
        return _("%(cls)s: the longest wait is %(min)s min") % {
            "cls": label(CLASS, str(detail.get("class", ""))),
            "min": detail.get("waited_min", ""),
        }
    return _("%(per)s waiting per open counter") % {"per": detail.get("per_counter", "")}


def overview_context(hall: Hall) -> dict[str, Any]:
    now = clock_now()
    snap = hall_snapshot(hall, now)
    limit = norms_snapshot().param("HAL-03", "peak_queue_per_open_counter")
    rows = queue_by_class(hall, now)
    return {
        "hall": hall,
        "snap": snap,
        "peak_limit": limit,
        "peak": snap["per_counter"] > limit,
        "rows": [{"label": label(CLASS, r.cls), "q": r, "state": r.state} for r in rows],
        "counters": [
            {
                "c": c,
                "status": label(COUNTER_STATUS, c.status),
                "tag": "ok" if c.status == "open" else "warn",
                "ticket": t,
                "ticket_status": label(TICKET_STATUS, t.status) if t else "",
            }
            for c, t in hall_counters(hall)
        ],
        "alerts": [
            {
                "a": a,
                "kind": label(ALERT_KIND, a.kind),
                "text": _alert_text(a.kind, a.detail),
                "peak": a.kind == "peak",
            }
            for a in open_alerts(hall, now)
        ],
        "openable": openable_counters(hall),
        "monitoring": hall_monitor_running(hall),
        "waiting": [
            {
                "t": t,
                "cls": label(CLASS, ticket_class(t)),
                "waited": round((now - t.issued_at).total_seconds() / 60),
                "done": [label(PREPROCESSING, k) for k in t.preprocessing],
                # HAL-07: what the kiosk heard and nobody has met yet (the call breaks it).
                "due": [
                    NEEDS[k]
                    for k in t.preprocessing
                    if k in NEEDS and NEEDS[k] not in t.preprocessing
                ],
            }
            for t in Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING).order_by(
                "issued_at", "id"
            )[:WAITING_SHOWN]
        ],
        "steps": [(k, PREPROCESSING[k]) for k in STAFF_STEPS],
        "staff": User.objects.filter(
            is_active=True, role=Role.HALL_STAFF, hall_post__hall=hall
        ).order_by("username"),
    }


def _my_hall(user: User) -> Hall | None:
    post = post_get(user)
    return post.hall if post is not None else None


@require_GET
@role_required(*MANAGER)
def overview(request: HtmxHttpRequest) -> HttpResponse:
    hall = _my_hall(request.user)
    if hall is None:
        return render(request, "web/hall/no_hall.html", {})
    template = LIVE if request.htmx else "web/hall/overview.html"
    return render(request, template, overview_context(hall))


@require_POST
@role_required(*MANAGER)
def overview_open(request: HtmxHttpRequest) -> HttpResponse:
    """Open a counter (answering a peak alert, HAL-03), staffed by the chosen person or oneself."""
    hall = _my_hall(request.user)
    if hall is None:
        return render(request, "web/hall/no_hall.html", {}, status=409)
    error, status = None, 200
    try:
        chosen = request.POST.get("counter") or ""
        if not chosen:
            raise ValidationFailed("counter.required", _("Choose a counter."), field="counter")
        counter = Counter.objects.filter(hall=hall, id=chosen).first()
        if counter is None:
            raise NotFound("counter.not_found", _("Choose a counter."), field="counter")
        wanted = request.POST.get("staff") or ""
        staff = User.objects.filter(
            username=wanted, role=Role.HALL_STAFF, hall_post__hall=hall
        ).first()
        if wanted and staff is None:
            raise ValidationFailed(
                "user.not_found", _("Choose someone of this hall."), field="staff"
            )
        services.counter_set_status(
            counter_id=counter.id, status="open", by=request.user, staff=staff
        )
    except (GuifanError, ValueError) as exc:
        error = error_text(exc) if isinstance(exc, GuifanError) else _("Choose a counter.")
        # Another hall's counter is a 404, as if it did not exist (issue 12).
        status = 404 if isinstance(exc, NotFound) else 422
    return render(request, LIVE, {**overview_context(hall), "open_error": error}, status=status)


@require_POST
@role_required(*MANAGER)
def overview_preprocess(request: HtmxHttpRequest) -> HttpResponse:
    """Record a pre-processing step done for a waiting customer (HAL-07)."""
    hall = _my_hall(request.user)
    if hall is None:
        return render(request, "web/hall/no_hall.html", {}, status=409)
    error, status = None, 200
    try:
        ticket_preprocess(
            ticket_id=whole_number(request.POST.get("ticket", "")) or 0,
            hall_code=hall.code,
            step=request.POST.get("step", ""),
            by=request.user,
        )
    except GuifanError as exc:
        error, status = error_text(exc), exc.http_status if exc.http_status in (404, 409) else 422
    except ValueError:
        error, status = _("Choose a value."), 422
    ctx = {**overview_context(hall), "pre_error": error}
    return render(request, LIVE, ctx, status=status)


@require_POST
@role_required(*MANAGER)
def overview_monitor(request: HtmxHttpRequest) -> HttpResponse:
    """Start today's queue monitoring (HAL-03 peaks, HAL-02 waits at risk) for the hall."""
    hall = _my_hall(request.user)
    if hall is None:
        return render(request, "web/hall/no_hall.html", {}, status=409)
    hall_monitor_today(hall=hall, now=clock_now())
    return render(request, LIVE, overview_context(hall))
