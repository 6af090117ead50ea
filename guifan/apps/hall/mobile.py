"""Mobile tickets: a ticket taken remotely, its signed link sent by SMS (ADR 0028)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from guifan.apps.accounts.models import User
from guifan.apps.hall.appointments import mobile_phone
from guifan.apps.hall.mobile_queue import link_expiry, link_token, mobile_queue_moved
from guifan.apps.hall.models import MobileTicket, Ticket
from guifan.apps.hall.services import ticket_issue
from guifan.apps.orders.senders import get_sender
from guifan.clock import local
from guifan.clock import now as clock_now

LINK_ROUTE = "links:mobile-ticket"


@dataclass(frozen=True, slots=True)
class IssuedMobile:
    mobile: MobileTicket
    ticket: Ticket
    path: str


def mobile_link_path(mobile: MobileTicket) -> str:
    return reverse(LINK_ROUTE, kwargs={"token": link_token(mobile)})


@transaction.atomic
def mobile_ticket_issue(
    *, hall_code: str, by: User | None, category: str, phone: str, base_url: str = ""
) -> IssuedMobile:
    """Take a ticket for a customer who is not in the hall and text them its link.

    The ticket queues like any other from now; the link shows the position and the expected
    wait, and the customer is texted once when their turn is near (``mobile_queue``).
    """
    number = mobile_phone(phone)
    ticket = ticket_issue(hall_code=hall_code, by=by, category=category)
    now = clock_now()
    mobile = MobileTicket.objects.create(
        ticket=ticket, phone=number, issued_at=now, expires_at=link_expiry(now)
    )
    path = mobile_link_path(mobile)
    mobile.link = f"{base_url.rstrip('/')}{path}"
    until = local(mobile.expires_at)
    body = (
        f"您已在{ticket.hall.name}取号 {ticket.code}。"
        f"排队进度和预计等候时间请打开 {mobile.link} ，链接当天 {until:%H:%M} 前有效。"
    )
    mobile.link_outcome = get_sender().send(
        to=number, channel="sms", body=body, key=f"hallmob:{mobile.id}:link"
    )
    mobile.save(update_fields=["link", "link_outcome"])
    mobile_queue_moved(hall_id=ticket.hall_id, now=now)  # already near: texted at once
    return IssuedMobile(mobile=mobile, ticket=ticket, path=path)
