"""Pre-processing while the customer waits (HAL-07), recorded on the ticket.

The kiosk records what the customer says of themselves; staff walking the waiting area
record what they did. Both land in ``Ticket.preprocessing`` as keys.
"""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.hall.models import Ticket, TicketStatus
from guifan.apps.hall.needs import NEEDS
from guifan.apps.hall.services import ticket_lock
from guifan.apps.norms.services import norm_check_record
from guifan.clock import now as clock_now
from guifan.errors import Conflict, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

KIOSK_ANSWERS = tuple(NEEDS)  # what the customer may tell the kiosk
STAFF_STEPS = (
    "id_checked",
    "resource_prechecked",
    "question_answered",
    "self_service_guided",
    "offers_introduced",
)


@transaction.atomic
def ticket_preprocess(*, ticket_id: int, hall_code: str, step: str, by: User | None) -> Ticket:
    """Record one pre-processing step done for a waiting customer (HAL-07)."""
    if step not in STAFF_STEPS:
        raise ValidationFailed("ticket.preprocess", "预处理事项无效", field="step")
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status != TicketStatus.WAITING:
        raise Conflict("ticket.not_waiting", f"{ticket.code} 已不在等候", field="ticket_id")
    if step not in ticket.preprocessing:
        ticket.preprocessing = [*ticket.preprocessing, step]
        ticket.save(update_fields=["preprocessing"])
        norm_check_record(
            verdict=Verdict.keep(
                "HAL-07",
                reason("hal07.preprocessed", ticket=ticket.code, preprocess_step=step),
                step=step,
            ),
            at=clock_now(),
            area_code=ticket.hall.code,
            person=by.username if by else "",
        )
    return ticket
