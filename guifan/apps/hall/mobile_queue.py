"""Mobile tickets below the hall's services: the signed link, the position and expected wait,
and the one "nearly your turn" message (ADR 0028).

``mobile_queue_moved`` runs inside the transaction that moves the queue (a call, a new mobile
ticket): a holder with at most HAL-02 ``mobile_notify_ahead`` customers ahead is marked with a
conditional update and a durable timer is armed in that same transaction; the timer sends the
SMS through the pluggable sender (the outbox). So the message is never lost (it commits with
the queue's move) and never sent twice (one mark, one timer key, the sender's dedup key).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Avg, DurationField, ExpressionWrapper, F

from guifan.apps.hall.models import (
    Counter,
    CounterStatus,
    Hall,
    MobileTicket,
    Ticket,
    TicketStatus,
)
from guifan.apps.hall.selectors import ticket_people_ahead
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.senders import get_sender
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.apps.timers.services import timer_schedule
from guifan.clock import at_local, local
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound

SALT = "guifan.hall.mobile_ticket"
NEAR_KIND = "hall.mobile_near"
DEFAULT_SERVICE_MIN = 8.0  # before the day's first finished ticket of the category
RECENT = 20  # finished tickets the expected service time is averaged over


class MobileLinkExpired(GuifanError):
    """A genuine mobile-ticket link past its expiry."""

    http_status = 410


def link_expiry(now: dt.datetime) -> dt.datetime:
    """A mobile ticket is for today: its link ends with the hall's local day."""
    return at_local(local(now).date(), "23:59").replace(second=59, microsecond=0)


def link_token(mobile: MobileTicket) -> str:
    payload = {"m": mobile.id, "t": mobile.ticket_id, "e": int(mobile.expires_at.timestamp())}
    return signing.Signer(salt=SALT).sign_object(payload, compress=True)


def _invalid() -> NotFound:
    return NotFound("link.invalid", "链接无效或已被改动", field="token")


def mobile_ticket_open(*, token: str) -> MobileTicket:
    """The mobile ticket of a link: NotFound when forged or unknown, 410 when expired."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError, TypeError):
        raise _invalid() from None
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(k), int) for k in ("m", "t", "e")
    ):
        raise _invalid()
    if clock_now() >= dt.datetime.fromtimestamp(payload["e"], tz=dt.UTC):
        raise MobileLinkExpired("link.expired", "链接已过期", field="token")
    mobile = (
        MobileTicket.objects.select_related("ticket", "ticket__hall", "ticket__counter")
        .filter(id=payload["m"], ticket_id=payload["t"])
        .first()
    )
    if mobile is None:
        raise _invalid()
    return mobile


def service_minutes(hall: Hall, category: str, now: dt.datetime) -> float:
    """The mean service time of the day's last finished tickets of the category."""
    took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    recent = (
        Ticket.objects.filter(
            hall=hall,
            category=category,
            day=local(now).date(),
            status=TicketStatus.DONE,
            started_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("id", flat=True)[:RECENT]
    )
    mean = (
        Ticket.objects.filter(id__in=list(recent))
        .annotate(took=took)
        .aggregate(mean=Avg("took"))["mean"]
    )
    return mean.total_seconds() / 60 if mean else DEFAULT_SERVICE_MIN


@dataclass(frozen=True, slots=True)
class Position:
    ahead: int
    wait_min: int  # expected minutes until called, rounded up


def ticket_position(ticket: Ticket, now: dt.datetime) -> Position:
    """Customers ahead in the category and the expected wait: ahead x the mean service time,
    shared by the open counters that serve the category."""
    ahead = ticket_people_ahead(ticket)
    counters = sum(
        1
        for cats in Counter.objects.filter(
            hall_id=ticket.hall_id, status=CounterStatus.OPEN
        ).values_list("categories", flat=True)
        if ticket.category in cats
    )
    minutes = ahead * service_minutes(ticket.hall, ticket.category, now) / max(counters, 1)
    return Position(ahead=ahead, wait_min=int(-(-minutes // 1)))


def mobile_queue_moved(*, hall_id: int, now: dt.datetime | None = None) -> int:
    """Arm the "nearly your turn" message for holders now close enough; returns how many.

    Call inside the transaction that moved the queue.
    """
    now = now or clock_now()
    near = int(norms_snapshot().param("HAL-02", "mobile_notify_ahead"))
    waiting = MobileTicket.objects.filter(
        ticket__hall_id=hall_id, ticket__status=TicketStatus.WAITING, near_armed_at__isnull=True
    ).select_related("ticket")
    armed = 0
    for mobile in waiting:
        if ticket_people_ahead(mobile.ticket) > near:
            continue
        if not MobileTicket.objects.filter(id=mobile.id, near_armed_at__isnull=True).update(
            near_armed_at=now
        ):
            continue  # another call marked it first: one message only
        timer_schedule(
            kind=NEAR_KIND,
            key=f"hallmob:{mobile.id}:near",
            due_at=now,
            norm_id="HAL-02",
            payload={"mobile": mobile.id},
        )
        armed += 1
    return armed


def _near_body(mobile: MobileTicket, ahead: int) -> str:
    ticket = mobile.ticket
    where = f"{ticket.hall.name}的 {ticket.code} 号"
    if ticket.status == TicketStatus.CALLED and ticket.counter is not None:
        return f"您在{where}正在叫号，请到 {ticket.counter.number} 号窗口办理。"
    return (
        f"您在{where}前面还有 {ahead} 位，即将叫到您，请尽快回到营业厅等候。"
        f"查看排队进度：{mobile.link}"
    )


@handler(NEAR_KIND, "线上取号临近提醒")
def mobile_near_send(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Text the holder once that their turn is near (the timer fires once; the sender's key
    deduplicates a retried delivery)."""
    mobile = (
        MobileTicket.objects.select_for_update(of=("self",))
        .select_related("ticket", "ticket__hall", "ticket__counter")
        .filter(id=timer.payload["mobile"])
        .first()
    )
    if mobile is None or mobile.near_sent_at is not None:
        return {"sent": False}
    if mobile.ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
        mobile.near_outcome = "skipped"
        mobile.save(update_fields=["near_outcome"])
        return {"sent": False, "status": mobile.ticket.status}
    ahead = ticket_people_ahead(mobile.ticket)
    outcome = get_sender().send(
        to=mobile.phone, channel="sms", body=_near_body(mobile, ahead), key=timer.key
    )
    mobile.near_sent_at, mobile.near_outcome = now, outcome
    mobile.save(update_fields=["near_sent_at", "near_outcome"])
    return {"sent": True, "ahead": ahead, "outcome": outcome}
