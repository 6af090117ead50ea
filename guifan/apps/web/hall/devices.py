"""The hall's devices: the ticket kiosk and the calling screen, opened as paired device
accounts (``device_page``, ADR 0027); the hall's staff may look at the calling screen too."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connection, transaction
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.hall import calls_feed
from guifan.apps.hall.greeting import ticket_take
from guifan.apps.hall.models import Hall
from guifan.apps.hall.preprocess import KIOSK_ANSWERS
from guifan.apps.hall.screen import screen_notices, screen_waiting
from guifan.apps.hall.scripts import call_announcement
from guifan.apps.hall.selectors import calls_stamp, ticket_people_ahead
from guifan.apps.hall.selectors import screen_calls as calls_select
from guifan.apps.web.access import HtmxHttpRequest
from guifan.apps.web.error_text import error_text
from guifan.apps.web.hall.device_access import device_hall, device_page
from guifan.apps.web.hall.labels import PREPROCESSING
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import GuifanError

# The kiosk's on-screen keypad, in the order a phone keypad shows them.
KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back")
SCREEN_STAFF = (Role.HALL_STAFF, Role.DUTY_MANAGER)  # may look at their hall's screen
logger = logging.getLogger(__name__)


def _device_hall(request: HtmxHttpRequest, code: str) -> Hall | HttpResponse:
    """The device's own hall, or the hall of a staff member's post; else the 404 page."""
    return device_hall(request, code)


@require_GET
@device_page("kiosk")
def kiosk(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    """Big buttons per business category; a ticket comes out through the issue service."""
    found = _device_hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    # HAL-04: the kiosk asks who the customer is (phone or member card), never a star level.
    ctx = {
        "hall": found,
        "preprocessing": [(k, PREPROCESSING[k]) for k in KIOSK_ANSWERS],
        "keys": KEYPAD,
    }
    return render(request, "web/hall/kiosk.html", ctx)


@require_POST
@device_page("kiosk")
def kiosk_ticket(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    found = _device_hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    data = request.POST
    # One transaction for the ticket and the answer's read: a connection lost before the answer
    # keeps no ticket the customer was never shown (they press again; bench/faults.py).
    with transaction.atomic():
        return _kiosk_issue(request, found, data)


def _kiosk_issue(request: HtmxHttpRequest, found: Hall, data: QueryDict) -> HttpResponse:
    try:
        ticket, _new = ticket_take(
            hall_code=found.code,
            by=None,  # the kiosk device, bound to this hall by device_page
            category=data.get("category", ""),
            vulnerable=data.get("vulnerable") == "1",
            preprocessing=[k for k in data.getlist("pre") if k in KIOSK_ANSWERS],
            phone=data.get("phone", "")[:20],
            member_card=data.get("member_card", "")[:40],
            key=data.get("press_key", "")[:200],  # kiosk.js: the same for a press sent again
        )
    except (GuifanError, ValueError) as exc:
        message = error_text(exc) if isinstance(exc, GuifanError) else _("Choose a value.")
        return render(request, "web/hall/_kiosk_ticket.html", {"error": message}, status=422)
    ctx = {
        "ticket": ticket,
        "category_name": found.categories.get(ticket.category, ""),
        "ahead": ticket_people_ahead(ticket),
        # Whether a phone or card was given: never whether it has a record (anyone can type).
        "identified": bool(data.get("phone", "").strip() or data.get("member_card", "").strip()),
    }
    return render(request, "web/hall/_kiosk_ticket.html", ctx)


# The calling classes as customers read them (no norm codes on a customer screen).
SCREEN_CLASS = {
    "star67": pgettext_lazy("calling screen class", "Priority"),
    "star5": pgettext_lazy("calling screen class", "Star"),
    "normal": pgettext_lazy("calling screen class", "Regular"),
}


def _calls_context(hall: Hall) -> dict[str, object]:
    now = clock_now()
    current, recent = calls_select(hall, now)
    return {
        "waiting": [
            {"label": SCREEN_CLASS[c.cls], "cls": c.cls, "n": c.waiting, "wait": c.wait_min}
            for c in screen_waiting(hall, now)
        ],
        "current": [
            {
                "t": t,
                "counter": t.counter.number if t.counter else "",
                "key": f"{t.id}-{t.called_at:%H%M%S%f}" if t.called_at else str(t.id),
                "say": call_announcement(
                    ticket_code=t.code, counter_number=t.counter.number if t.counter else 0
                ),
            }
            for t in current
        ],
        "recent": recent,
    }


@require_GET
@device_page("screen", staff=SCREEN_STAFF)
def screen(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    """The calling screen: the current calls big, spoken once each in Chinese."""
    found = _device_hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    now = clock_now()
    context = {
        "hall": found,
        "stamp": calls_stamp(found, now),
        "now": local(now),
        "now_ms": int(now.timestamp() * 1000),
        "notices": screen_notices(found),
        **_calls_context(found),
    }
    return render(request, "web/hall/screen.html", context)


@require_GET
@device_page("screen", staff=SCREEN_STAFF)
def screen_calls(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    found = _device_hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    return render(request, "web/hall/_screen_calls.html", _calls_context(found))


def _release() -> None:
    """Give the connection back as a request's end does: to the pool under ASGI (ADR 0011).

    An open stream then holds no connection between looks. Inside a test's transaction the
    connection stays (closing it would end the test's transaction).
    """
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def _look(hall: Hall) -> str:
    """One look at today's calls: one aggregate query, then the connection goes back."""
    try:
        return calls_stamp(hall, clock_now())
    finally:
        _release()


def _gate(request: HtmxHttpRequest, code: str) -> tuple[Hall, bool] | HttpResponse:
    """The device's hall, and whether its stream may wait for notices (ADR 0042)."""
    try:
        found = _device_hall(request, code)
        return found if isinstance(found, HttpResponse) else (found, calls_feed.can_listen())
    finally:
        _release()


async def _call_events(
    hall: Hall, seconds: float, step: float, *, listen: bool = False
) -> AsyncIterator[str]:
    """Server-sent events: one ``calls`` event whenever the calls change, for ``seconds``.

    Between looks the stream only sleeps on the event loop: it keeps no thread busy and holds
    no database connection (Django parks the request's idle executor thread, ADR 0011). With
    ``listen`` (PostgreSQL) it looks again only when the hall's calls change, and at least
    every ``GUIFAN_SSE_IDLE_SECONDS``, never more often than every ``step`` (ADR 0042);
    otherwise it looks every ``step``. It still ends after ``seconds`` so that the device's
    access is checked again when EventSource reconnects (after ``retry`` milliseconds, with
    the current stamp at once).
    """
    yield "retry: 1000\n\n"
    loop = asyncio.get_running_loop()
    sent = ""
    end = loop.time() + seconds
    beat = loop.time()
    idle = float(getattr(settings, "GUIFAN_SSE_IDLE_SECONDS", 10))
    with contextlib.ExitStack() as stack:
        wake = stack.enter_context(calls_feed.hub().subscribe(hall.id)) if listen else None
        try:
            while True:
                looked = loop.time()
                if wake is not None:
                    wake.clear()  # a change from now on wakes the next wait
                stamp = await sync_to_async(_look)(hall)
                if stamp != sent:
                    sent = stamp
                    yield f"event: calls\ndata: {stamp}\n\n"
                if loop.time() >= end:
                    return
                if loop.time() - beat >= 10:
                    beat = loop.time()
                    yield ": keep-alive\n\n"
                if wake is not None and calls_feed.hub().listening:
                    until = min(end, beat + 10, looked + idle)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wake.wait(), max(0.0, until - loop.time()))
                    # Many calls at once in a big hall: at most one look per step.
                    await asyncio.sleep(max(0.0, looked + step - loop.time()))
                else:
                    await asyncio.sleep(step)
        except asyncio.CancelledError:
            # The screen went away: Django cancels the response when the client disconnects.
            logger.debug("calling screen of hall %s disconnected", hall.code)
            raise


@require_GET
@device_page("screen", staff=SCREEN_STAFF)
async def screen_events(request: HtmxHttpRequest, hall: str) -> HttpResponseBase:
    """The calling screen's live feed (text/event-stream); the page re-reads the calls on each.

    Under WSGI (runserver, the browser tests' live server) a worker would buffer a whole async
    stream, so there the feed is one look long and EventSource's retry makes it a 1 s poll.
    """
    found = await sync_to_async(_gate)(request, hall)
    if isinstance(found, HttpResponse):
        return found
    place, listen = found
    response: HttpResponseBase
    if isinstance(request, ASGIRequest):
        seconds = float(getattr(settings, "GUIFAN_SSE_SECONDS", 25))
        step = float(getattr(settings, "GUIFAN_SSE_STEP_SECONDS", 0.5))
        response = StreamingHttpResponse(
            _call_events(place, seconds, step, listen=listen), content_type="text/event-stream"
        )
    else:
        body = "".join([part async for part in _call_events(place, 0, 0)])
        response = HttpResponse(body, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a proxy in front must not buffer the stream
    return response
