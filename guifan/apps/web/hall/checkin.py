"""The kiosk's appointment check-in (ADR 0028): the booking code or the phone number, then a
ticket placed at the slot's time. A device page like the kiosk, behind the same login."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.hall.access import hall_for
from guifan.apps.hall.appointments import CheckInTooEarly, appointment_check_in
from guifan.apps.hall.mobile_queue import ticket_position
from guifan.apps.hall.models import Hall
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.errors import not_found
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound

# The kiosk's own gate (web/hall/devices.py): whoever may run the kiosk may run its check-in.
DEVICE = (Role.HALL_STAFF, Role.DUTY_MANAGER)
TEMPLATE = "web/hall/_kiosk_checkin.html"


def _hall(request: HtmxHttpRequest, code: str) -> Hall | HttpResponse:
    try:
        return hall_for(by=request.user, code=code)
    except NotFound:
        return not_found(request)


@require_GET
@role_required(*DEVICE)
def checkin(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    """Big field for the booking code or the phone number, one button."""
    found = _hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    return render(request, "web/hall/kiosk_checkin.html", {"hall": found})


@require_POST
@role_required(*DEVICE)
def checkin_submit(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    found = _hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    key = request.POST.get("key", "").strip().replace(" ", "")[:20]
    phone = key if key.isdigit() and len(key) > 8 else ""
    try:
        done = appointment_check_in(
            hall_code=found.code, by=request.user, code="" if phone else key, phone=phone
        )
    except CheckInTooEarly as early:
        ctx = {"early": True, "back": local(early.come_back_at), "error": early.message}
        return render(request, TEMPLATE, ctx, status=422)
    except GuifanError as exc:
        # A code the hall does not know is a wrong entry in the form: shown like a refusal.
        status = 409 if exc.http_status == 409 else 422
        return render(request, TEMPLATE, {"error": exc.message}, status=status)
    ticket = done.ticket
    ctx = {
        "ticket": ticket,
        "on_time": done.on_time,
        "slot": local(done.appointment.slot_at),
        "category_name": found.categories.get(ticket.category, ""),
        "position": ticket_position(ticket, clock_now()),
    }
    return render(request, TEMPLATE, ctx, status=201)
