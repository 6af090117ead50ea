"""Greeting and triage at the entrance (HAL-06), with assisted priority tickets (HAL-05).

The greeter greets each entering customer, asks the need and routes them: to a counter (the
greeter helps take the ticket), to a self-service terminal or to the online channels. A
customer of a HAL-05 priority group routed to a counter gets an assisted priority ticket.

A customer who takes a number at the kiosk themselves (``ticket_take``) walked past the
greeting: that ticket breaks HAL-06, and HAL-05 too when they had to say at the kiosk that
they belong to a priority group. Tickets booked ahead (appointments, mobile tickets) and
tickets staff issue for a customer are neither.
"""

from __future__ import annotations

from typing import Required, TypedDict, Unpack

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.access import hall_for
from guifan.apps.hall.models import Ticket
from guifan.apps.hall.services import ticket_issue, ticket_issue_keyed
from guifan.apps.norms.services import norm_check_record, norm_checks_record, norms_snapshot
from guifan.clock import now as clock_now
from guifan.errors import ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

ROUTES = ("counter", "self_service", "online")


@transaction.atomic
def customer_greet(
    *,
    hall_code: str,
    route: str,
    by: User | None,
    category: str | None = None,
    star_claimed: int = 0,
    priority_group: str | None = None,
    phone: str = "",
    member_card: str = "",
) -> Ticket | None:
    """Greet and route one customer (HAL-06); the ticket when routed to a counter."""
    if route not in ROUTES:
        raise ValidationFailed("greeting.route", f"分流去向须为 {'/'.join(ROUTES)}", field="route")
    groups = [str(g) for g in norms_snapshot().param("HAL-05", "priority_groups")]
    if priority_group is not None and priority_group not in groups:
        raise ValidationFailed(
            "greeting.priority_group", f"优先人群须为 {'/'.join(groups)}", field="priority_group"
        )
    if route == "counter" and not category:
        raise ValidationFailed("greeting.category", "到窗口办理须选择业务类别", field="category")
    hall_for(by=by, code=hall_code)
    now = clock_now()
    person = by.username if by else ""
    ticket = None
    if route == "counter":
        assert category is not None
        ticket = ticket_issue(
            hall_code=hall_code,
            by=by,
            category=category,
            star_claimed=star_claimed,
            vulnerable=priority_group is not None,
            phone=phone,
            member_card=member_card,
        )
        if priority_group is not None:
            norm_check_record(
                verdict=Verdict.keep(
                    "HAL-05",
                    reason(
                        "hal05.priority_ticket", ticket=ticket.code, priority_group=priority_group
                    ),
                    group=priority_group,
                ),
                at=now,
                area_code=hall_code,
                person=person,
            )
    norm_check_record(
        verdict=Verdict.keep("HAL-06", reason("hal06.routed", hall_route=route), route=route),
        at=now,
        area_code=hall_code,
        person=person,
    )
    return ticket


class TicketAsk(TypedDict, total=False):
    """What a kiosk (or staff) asks ``ticket_issue_keyed`` for, besides the hall and who."""

    category: Required[str]
    star_claimed: int
    vulnerable: bool
    preprocessing: list[str] | None
    phone: str
    member_card: str
    key: str


@transaction.atomic
def ticket_take(
    *, hall_code: str, by: User | None, **ask: Unpack[TicketAsk]
) -> tuple[Ticket, bool]:
    """A number taken at the kiosk (``by`` None: the kiosk page; a system account: a kiosk
    through the API) or issued by staff; says whether the ticket is new, as
    ``ticket_issue_keyed``. A new ticket the customer took themselves was not greeted; a
    priority ticket staff took for the customer is an assisted one (HAL-05 kept)."""
    ticket, created = ticket_issue_keyed(hall_code=hall_code, by=by, **ask)
    vulnerable = ask.get("vulnerable", False)
    if not created:
        return ticket, False
    if by is None or by.role == Role.SYSTEM:
        verdicts = [Verdict.broke("HAL-06", reason("hal06.not_greeted", ticket=ticket.code))]
        if vulnerable:
            verdicts.append(Verdict.broke("HAL-05", reason("hal05.unassisted", ticket=ticket.code)))
        norm_checks_record(verdicts, at=ticket.issued_at, area_code=hall_code)
    elif vulnerable:  # staff took the number for the customer: an assisted priority ticket
        norm_check_record(
            verdict=Verdict.keep("HAL-05", reason("hal05.staff_ticket", ticket=ticket.code)),
            at=ticket.issued_at,
            area_code=hall_code,
            person=by.username,
        )
    return ticket, True
