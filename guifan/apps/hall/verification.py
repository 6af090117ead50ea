"""HAL-04 from the record: staff check the customer's identity and read the level from the
star record; only then does a star level give priority.

The level is never typed in and never taken from what the customer said: a verification that
carries a level, or that skips the identity check, is refused (422 naming HAL-04) and the
refusal remembered against the clerk. A verified level that differs from the claim, or a
claim without any record, is recorded as a mismatch on the ticket and in the HAL-04 verdict's
detail. Below ``min_star_for_priority`` the verified ticket stays in the normal class.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.customers.star_records import star_record_find
from guifan.apps.hall.models import Ticket, TicketStatus
from guifan.apps.hall.services import ticket_lock
from guifan.apps.hall.star_identity import star_identify
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.clock import now as clock_now
from guifan.errors import Conflict, RuleViolation
from guifan.norms import Verdict
from guifan.norms.reasons import Reason, reason

STAFF = (Role.HALL_STAFF, Role.DUTY_MANAGER, Role.ADMIN)  # people, face to face
VERIFIABLE = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


@refusals_remembered
@transaction.atomic
def ticket_verify_star(
    *,
    ticket_id: int,
    hall_code: str,
    by: User | None,
    id_checked: bool,
    phone: str = "",
    member_card: str = "",
    star_level: int | None = None,
) -> Ticket:
    """Staff verify the customer's star level from the record (HAL-04).

    ``phone`` / ``member_card``: what the customer shows now (else the record found at
    issue). ``star_level`` is only accepted to be refused: a level keyed in is a claim.
    """
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if by is None or by.role not in STAFF:
        raise RuleViolation(
            "ticket.verifier",
            f"{ticket.code} 的星级须由营业员当面核验，设备或系统不能核验",
            rule="HAL-04",
            field="by",
        )
    if star_level is not None:
        raise RuleViolation(
            "ticket.star_typed",
            f"{ticket.code} 的星级以系统档案为准，不能手工录入或按客户自报",
            rule="HAL-04",
            field="star_level",
        )
    if not id_checked:
        raise RuleViolation(
            "ticket.identity",
            f"{ticket.code} 须先核对客户身份（身份证件或会员卡）再核验星级",
            rule="HAL-04",
            field="id_checked",
        )
    if ticket.status not in VERIFIABLE:
        raise Conflict(
            "ticket.not_verifiable",
            f"{ticket.code} 状态为 {ticket.get_status_display()}，不能核验星级",
            field="ticket_id",
        )
    if ticket.star_verified_at is not None:
        raise Conflict("ticket.star_verified", f"{ticket.code} 已核验星级", field="ticket_id")
    identity = star_identify(phone=phone, member_card=member_card)
    if identity is not None:
        record = identity.record
        ticket.star_phone = identity.phone_masked or ticket.star_phone
    else:
        record = star_record_find(member_card=ticket.star_ref) if ticket.star_ref else None
    level = record.level if record is not None else 0
    min_star = int(norms_snapshot().param("HAL-04", "min_star_for_priority"))
    now = clock_now()
    ticket.star_ref = record.ref if record is not None else ""
    ticket.star_record = level if record is not None else None
    ticket.star_verified = level if level >= min_star else 0
    ticket.star_mismatch = ticket.star_claimed > 0 and ticket.star_claimed != level
    ticket.star_verified_at, ticket.star_verified_by = now, by
    ticket.save(
        update_fields=[
            "star_phone",
            "star_ref",
            "star_record",
            "star_verified",
            "star_mismatch",
            "star_verified_at",
            "star_verified_by",
        ]
    )
    norm_check_record(
        verdict=Verdict.keep("HAL-04", _reason(ticket, record is not None), **_detail(ticket)),
        at=now,
        area_code=ticket.hall.code,
        person=by.username if by is not None else "",
    )
    return ticket


def _reason(ticket: Ticket, found: bool) -> Reason:
    said: dict[str, str | int] = {"ticket": ticket.code}
    if found:
        said["level"] = ticket.star_record or 0
    code = "hal04.from_record" if found else "hal04.no_record"
    if ticket.star_mismatch:
        code, said["claimed"] = f"{code}_mismatch", ticket.star_claimed
    return reason(code, **said)


def _detail(ticket: Ticket) -> dict[str, Any]:
    """What the report counts: every verification, from the record or not, and mismatches."""
    return {
        "verification": True,
        "from_record": ticket.star_record is not None,
        "claimed": ticket.star_claimed,
        "record": ticket.star_record,
        "priority": bool(ticket.star_verified),
        "mismatch": ticket.star_mismatch,
    }
