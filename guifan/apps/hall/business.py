"""What was done at the counter for a ticket: an inquiry or a transaction (SEC-03).

A pure inquiry may not ask for identity data (an inquiry that recorded an ID number breaks
SEC-03); a transaction needs real-name verification before it proceeds (refused otherwise,
and the refusal remembered against the clerk). One record per ticket and business.
"""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.hall.models import Ticket, TicketBusiness, TicketStatus
from guifan.apps.hall.services import ticket_lock
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.clock import now as clock_now
from guifan.errors import Conflict, RuleViolation, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

KINDS = ("inquiry", "transaction")


@refusals_remembered
@transaction.atomic
def ticket_business_record(
    *,
    ticket_id: int,
    hall_code: str,
    kind: str,
    business: str,
    id_checked: bool,
    id_recorded: bool,
    by: User | None,
) -> TicketBusiness:
    """Record the counter's business for a ticket being served (or just finished)."""
    if kind not in KINDS:
        raise ValidationFailed("business.kind", "类型须为咨询或办理", field="kind")
    business = business.strip()
    if not business or len(business) > 40:
        raise ValidationFailed("business.name", "请填写业务名称（≤40 字）", field="business")
    ticket: Ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status not in (TicketStatus.SERVING, TicketStatus.DONE):
        raise Conflict("business.not_served", "该号尚未办理，不能登记业务", field="ticket_id")
    ns = norms_snapshot()
    if (
        kind == "transaction"
        and not id_checked
        and ns.param("SEC-03", "real_name_for_transactions")
    ):
        raise RuleViolation(
            "business.real_name",
            f"{ticket.code} 办理「{business}」前须完成实名核验",
            rule="SEC-03",
            field="id_checked",
        )
    if TicketBusiness.objects.filter(ticket=ticket, business=business).exists():
        raise Conflict("business.repeat", f"「{business}」已登记", field="business")
    now = clock_now()
    record = TicketBusiness.objects.create(
        ticket=ticket,
        kind=kind,
        business=business,
        id_checked=id_checked,
        id_recorded=id_recorded,
        at=now,
        by=by,
    )
    asked_id_for_inquiry = kind == "inquiry" and (id_recorded or id_checked)
    said = {"ticket": ticket.code, "business": business}
    if asked_id_for_inquiry and not ns.param("SEC-03", "id_required_for_inquiry"):
        verdict = Verdict.broke("SEC-03", reason("hall.sec03.id_for_inquiry", **said))
    elif kind == "inquiry":
        verdict = Verdict.keep("SEC-03", reason("hall.sec03.inquiry_no_id", **said))
    else:
        verdict = Verdict.keep("SEC-03", reason("hall.sec03.verified", **said))
    person = by.username if by is not None else ""
    norm_check_record(verdict=verdict, at=now, area_code=ticket.hall.code, person=person)
    return record
