"""Hall business objects for the authz matrices (issue 15): a transaction recorded at the
side's ticket (SEC-03 done, HAL-13 not yet), made on demand."""

from __future__ import annotations

from guifan.apps.hall.models import TicketBusiness
from guifan.clock import now as clock_now
from tests.city import Side


def business_id(side: Side) -> int:
    """An unfinished transaction of the side's ticket (its receipt is a 409, not a 404)."""
    row, _ = TicketBusiness.objects.get_or_create(
        ticket_id=side.ticket_id,
        business="宽带续费",
        defaults={
            "kind": "transaction",
            "id_checked": True,
            "id_recorded": False,
            "at": clock_now(),
        },
    )
    return row.id


def done_business_id(side: Side) -> int:
    """A completed transaction of the side's ticket: its receipt prints."""
    from guifan.apps.hall.models import CounterTransaction
    from tests.apps.hall.test_transactions import TERMS, signature_png

    bid = business_id(side)
    CounterTransaction.objects.get_or_create(
        business_id=bid,
        defaults={
            "terms_shown": TERMS,
            "signature_png": signature_png(),
            "signature_digest": "0" * 64,
            "receipt": "paper",
            "completed_at": clock_now(),
        },
    )
    return bid
