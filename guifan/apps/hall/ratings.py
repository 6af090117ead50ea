"""The customer's rating of a finished service on the counter's rating device (issue 15).

One rating per ticket, only for a ticket of that hall whose service is done, and only within
``RATING_WINDOW`` after it finished: the device shows the ticket just finished at its counter,
and once the counter has called and served the next customer a late rating would be given
to the wrong service. Scores 1–5 (5 = very satisfied); an optional reason from ``REASONS``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.hall.models import Counter, Hall, HallRating, Ticket, TicketStatus
from guifan.apps.hall.services import ticket_lock
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.signals import dissatisfied
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms.reasons import message
from guifan.norms.reasons import reason as reason_of

# A constant, not a catalog parameter: no norm sets it. Ten minutes covers a customer who
# reads the screen, hesitates and taps; the counter's next service rarely starts sooner, and
# a rating after that would be attributed to the wrong service.
RATING_WINDOW = dt.timedelta(minutes=10)
SCORES = (1, 2, 3, 4, 5)
# Why a customer is not satisfied (asked only for scores <= 3); keys are stored.
REASONS = {
    "wait": "等候时间长",
    "attitude": "服务态度",
    "unsolved": "问题没解决",
    "process": "手续繁琐",
    "environment": "环境设施",
}


@transaction.atomic
def ticket_rate(
    *, ticket_id: int, hall_code: str, score: int, reason: str = "", by: User | None
) -> HallRating:
    """Record the customer's rating of the service of ``ticket_id`` (once, after it is done)."""
    if isinstance(score, bool) or score not in SCORES:
        raise ValidationFailed("rating.score", "score：评分须为 1–5 的整数", field="score")
    reason = (reason or "").strip()
    if reason and reason not in REASONS:
        raise ValidationFailed(
            "rating.reason", f"reason：原因须为 {'/'.join(REASONS)} 之一", field="reason"
        )
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status != TicketStatus.DONE or ticket.finished_at is None:
        raise Conflict(
            "rating.not_done",
            f"{ticket.code} 状态为 {ticket.get_status_display()}，办结后才能评价",
            field="ticket_id",
        )
    now = clock_now()
    if now - ticket.finished_at > RATING_WINDOW:
        minutes = int(RATING_WINDOW.total_seconds() // 60)
        raise Conflict(
            "rating.window_closed",
            f"{ticket.code} 办结已超过 {minutes} 分钟，不能再评价",
            field="ticket_id",
        )
    if HallRating.objects.filter(ticket=ticket).exists():
        raise Conflict("rating.repeat", f"{ticket.code} 已评价", field="ticket_id")
    rating = HallRating.objects.create(ticket=ticket, score=score, at=now, reason=reason)
    if score <= int(norms_snapshot().param("QA-02", "unsatisfied_max_score")):
        # QA-02: an unsatisfied rating is followed up until the customer is satisfied; the
        # case is the hall's (no order), one per ticket, opened in this transaction.
        said = {"ticket": ticket.code, "score": score}
        why = (
            reason_of("case.hall_rating_why", **said, rating_reason=reason)
            if reason
            else reason_of("case.hall_rating", **said)
        )
        dissatisfied.send(
            sender=HallRating,
            order=None,
            hall=ticket.hall,
            source=f"hall-rating:{ticket.id}",
            reason=why.zh(),
            at=now,
            by=None,  # the customer rated on the device; nobody owns it yet
            detail={"ticket": ticket.id, "score": score, "reason": reason, **message(why)},
        )
    return rating


def rating_counter(hall: Hall, number: str | int | None) -> Counter:
    """The hall's counter ``number`` (the device's ``?counter=N``); 422 or 404 naming it."""
    try:
        n = int(str(number))
    except ValueError:
        raise ValidationFailed(
            "rating.counter", "counter：请给出窗口号（如 ?counter=1）", field="counter"
        ) from None
    counter = Counter.objects.filter(hall=hall, number=n).first()
    if counter is None:
        raise NotFound("counter.not_found", f"counter：{hall.name}没有 {n} 号窗口", field="counter")
    return counter


def rating_due(counter: Counter, now: dt.datetime) -> Ticket | None:
    """The ticket just finished at ``counter``, still within the window and not yet rated."""
    return (
        Ticket.objects.filter(
            counter=counter,
            status=TicketStatus.DONE,
            finished_at__gte=now - RATING_WINDOW,
            rating__isnull=True,
        )
        .order_by("-finished_at", "-id")
        .first()
    )
