"""The customer's mobile ticket behind its signed link (ADR 0028): position, expected wait.

No login: the signed token is the key. The page re-reads its status block every 20 seconds;
a tampered link is a 404 page, an expired one a 410 page, never a trace.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guifan.apps.customers.masking import mask_phone
from guifan.apps.hall.mobile_queue import MobileLinkExpired, mobile_ticket_open, ticket_position
from guifan.apps.hall.models import TicketStatus
from guifan.apps.norms.services import norms_snapshot
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import NotFound

REFRESH_SECONDS = 20


@never_cache
@require_GET
def mobile_ticket(request: HttpRequest, token: str) -> HttpResponse:
    try:
        mobile = mobile_ticket_open(token=token)
    except (MobileLinkExpired, NotFound) as error:
        hotline = norms_snapshot().param("VIS-13", "hotline")
        expired = isinstance(error, MobileLinkExpired)
        return render(
            request,
            "web/links/mobile_bad.html",
            {"expired": expired, "hotline": hotline},
            status=410 if expired else 404,
        )
    ticket, now = mobile.ticket, clock_now()
    waiting = ticket.status == TicketStatus.WAITING
    context = {
        "token": token,
        "ticket": ticket,
        "hall": ticket.hall,
        "category_name": ticket.hall.categories.get(ticket.category, ""),
        "state": ticket.status,
        "position": ticket_position(ticket, now) if waiting else None,
        "near": int(norms_snapshot().param("HAL-02", "mobile_notify_ahead")),
        "phone": mask_phone(mobile.phone),
        "texted": mobile.near_sent_at is not None,
        "updated": local(now),
        "expires": local(mobile.expires_at),
        "refresh": REFRESH_SECONDS,
    }
    return render(request, "web/links/mobile_ticket.html", context)
