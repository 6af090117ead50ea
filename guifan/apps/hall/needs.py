"""Needs a customer told the kiosk, checked when the ticket is called (HAL-07).

A customer who said at the kiosk that their ID card is ready, or that they only have a
simple question, told staff walking the waiting area what to pre-process ("根据客户需求进行
简单的业务预处理"). When the ticket is called with such a need still unmet, the wait passed
without the pre-processing the norm asks for.
"""

from __future__ import annotations

import datetime as dt

from guifan.apps.hall.models import Ticket
from guifan.apps.norms.services import norm_checks_record
from guifan.norms import Verdict
from guifan.norms.reasons import reason

# What the customer told the kiosk, and the staff step that answers it.
NEEDS = {"id_ready": "id_checked", "only_question": "question_answered"}


def needs_unmet_record(ticket: Ticket, *, hall_code: str, now: dt.datetime) -> None:
    """Break HAL-07 for each need the kiosk heard and nobody met while the ticket waited.

    A transferred ticket was served once already: its needs were checked at its first call;
    a ticket called before a minute had passed never waited, so the norm did not apply.
    """
    if ticket.transferred_from_id is not None:
        return
    done = set(ticket.preprocessing)
    minutes = round((now - ticket.issued_at).total_seconds() / 60)
    if minutes < 1:
        return
    verdicts = [
        Verdict.broke(
            "HAL-07",
            reason(
                "hal07.need_unmet",
                ticket=ticket.code,
                kiosk_answer=need,
                minutes=minutes,
                preprocess_step=step,
            ),
            need=need,
            step=step,
            minutes=minutes,
        )
        for need, step in NEEDS.items()
        if need in done and step not in done
    ]
    if verdicts:
        norm_checks_record(verdicts, at=now, area_code=hall_code)
