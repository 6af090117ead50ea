"""The kiosk's appointment check-in (ADR 0028): the booking code or the phone number, then a
ticket placed at the slot's time. A page of the paired kiosk device (ADR 0027)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.hall.appointments import CheckInTooEarly, appointment_check_in
from guifan.apps.hall.mobile_queue import ticket_position
from guifan.apps.hall.models import Hall
from guifan.apps.web.access import HtmxHttpRequest
from guifan.apps.web.error_text import error_text
from guifan.apps.web.hall.device_access import device_hall, device_page
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import GuifanError

TEMPLATE = "web/hall/_kiosk_checkin.html"


def _hall(request: HtmxHttpRequest, code: str) -> Hall | HttpResponse:
    return device_hall(request, code)


@require_GET
@device_page("kiosk")
def checkin(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    """Big field for the booking code or the phone number, one button."""
    found = _hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    return render(request, "web/hall/kiosk_checkin.html", {"hall": found})


@require_POST
@device_page("kiosk")
def checkin_submit(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    found = _hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    key = request.POST.get("key", "").strip().replace(" ", "")[:20]
    phone = key if key.isascii() and key.isdigit() and len(key) > 8 else ""
    try:
        done = appointment_check_in(
            hall_code=found.code, by=None, code="" if phone else key, phone=phone
        )
    except CheckInTooEarly as early:
        ctx = {"early": True, "back": local(early.come_back_at), "error": error_text(early)}
        return render(request, TEMPLATE, ctx, status=422)
    except GuifanError as exc:
        # A code the hall does not know is a wrong entry in the form: shown like a refusal.
        status = 409 if exc.http_status == 409 else 422
        return render(request, TEMPLATE, {"error": error_text(exc)}, status=status)
    ticket = done.ticket
    ctx = {
        "ticket": ticket,
        "on_time": done.on_time,
        "slot": local(done.appointment.slot_at),
        "category_name": found.categories.get(ticket.category, ""),
        "position": ticket_position(ticket, clock_now()),
    }
    return render(request, TEMPLATE, ctx, status=201)
