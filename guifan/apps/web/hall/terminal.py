"""What the counter terminal shows: the counter, its ticket, the moment's script, the queue."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.models import Counter, CounterStatus, Ticket, TicketStatus
from guifan.apps.hall.scripts import hall_scriptbook
from guifan.apps.hall.selectors import counter_current, queue_by_class
from guifan.apps.web.hall.labels import CLASS, COUNTER_STATUS, PREPROCESSING, TICKET_STATUS
from guifan.apps.web.labels import label
from guifan.clock import now as clock_now


def star_claims(counter: Counter) -> QuerySet[Ticket]:
    """Waiting tickets with a star record or a claimed level, not yet verified (HAL-04)."""
    return (
        Ticket.objects.filter(
            hall_id=counter.hall_id, status=TicketStatus.WAITING, star_verified_at__isnull=True
        )
        .filter(Q(star_claimed__gt=0) | ~Q(star_ref=""))
        .order_by("issued_at")[:10]
    )


def _script(ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None:
        return None
    moment = "hall_greet" if ticket.status == TicketStatus.CALLED else "hall_farewell"
    return {"moment": moment, "lines": hall_scriptbook().render(moment)}


def panel_context(counter: Counter, *, user: User) -> dict[str, Any]:
    current = counter_current(counter)
    colleagues = (
        User.objects.filter(
            is_active=True, role=Role.HALL_STAFF, hall_post__hall_id=counter.hall_id
        )
        .exclude(id=counter.staff_id or user.id)
        .order_by("username")
    )
    return {
        "counter": counter,
        "status_label": label(COUNTER_STATUS, counter.status),
        "status_tag": "ok" if counter.status == CounterStatus.OPEN else "warn",
        "statuses": [
            (code, text) for code, text in COUNTER_STATUS.items() if code != counter.status
        ],
        "current": current,
        "current_status": label(TICKET_STATUS, current.status) if current else "",
        "prepared": [label(PREPROCESSING, k) for k in current.preprocessing] if current else [],
        "serving": current is not None and current.status == TicketStatus.SERVING,
        "script": _script(current),
        "transfer_to": [
            (code, name)
            for code, name in counter.hall.categories.items()
            if current is None or code != current.category
        ],
        "claims": star_claims(counter),
        "colleagues": colleagues,
    }


def queue_context(counter: Counter) -> dict[str, Any]:
    rows = queue_by_class(counter.hall, clock_now(), categories=list(counter.categories))
    return {
        "rows": [{"label": label(CLASS, r.cls), "q": r, "state": r.state} for r in rows],
        "waiting": sum(r.waiting for r in rows),
    }
