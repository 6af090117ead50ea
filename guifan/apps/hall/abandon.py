"""A waiting customer who leaves before being called: the ticket ends as abandoned.

Unlike a no-show (called, recalled, never came), the customer left while still waiting. A
customer who had already waited past their class's limit is a broken HAL-02: the wait is
known to have exceeded it even though service never started.
"""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.hall.classes import ticket_class
from guifan.apps.hall.mobile_queue import mobile_queue_moved
from guifan.apps.hall.models import Ticket, TicketStatus
from guifan.apps.hall.services import ticket_lock
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.clock import now as clock_now
from guifan.errors import Conflict
from guifan.norms import Verdict
from guifan.norms.reasons import reason
from guifan.staffing.policy import HAL02_KEYS


@transaction.atomic
def ticket_abandon(*, ticket_id: int, hall_code: str, by: User | None) -> Ticket:
    """Record that the holder of a waiting ticket left the hall."""
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status != TicketStatus.WAITING:
        raise Conflict(
            "ticket.not_waiting",
            f"{ticket.code} 状态为 {ticket.get_status_display()}，不能记为离开",
            field="ticket_id",
        )
    now = clock_now()
    ticket.status, ticket.finished_at = TicketStatus.ABANDONED, now
    ticket.save(update_fields=["status", "finished_at"])
    mobile_queue_moved(hall_id=ticket.hall_id, now=now)  # those behind move up (ADR 0028)
    if ticket.transferred_from_id is not None:
        return ticket  # the wait was measured when the first ticket's service started
    limit = norms_snapshot().param("HAL-02", "max_wait_minutes")[HAL02_KEYS[ticket_class(ticket)]]
    waited = (now - ticket.issued_at).total_seconds() / 60
    if waited > limit:
        norm_check_record(
            verdict=Verdict.broke(
                "HAL-02",
                reason("hal02.left_after_wait", ticket=ticket.code, waited=waited, limit=limit),
            ),
            at=now,
            area_code=ticket.hall.code,
            person=by.username if by else "",
        )
    return ticket
