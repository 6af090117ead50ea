"""Hall services: issue gapless tickets, call next by the slack policy, serve, hand over."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.access import hall_for, hall_require
from guifan.apps.hall.classes import ticket_class
from guifan.apps.hall.mobile_queue import mobile_queue_moved
from guifan.apps.hall.models import (
    Counter,
    CounterStatus,
    Hall,
    Handover,
    Ticket,
    TicketSequence,
    TicketStatus,
)
from guifan.apps.hall.monitor import peak_answered
from guifan.apps.hall.needs import NEEDS, needs_unmet_record
from guifan.apps.hall.posts import post_clear_counter, post_get, post_move
from guifan.apps.hall.star_identity import StarIdentity, star_claim_check, star_identify
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import LABELS, reason
from guifan.staffing.policy import HAL02_KEYS, call_next, targets_from_norms


def ticket_issue(
    *,
    hall_code: str,
    by: User | None,
    category: str,
    star_claimed: int = 0,
    vulnerable: bool = False,
    preprocessing: list[str] | None = None,
    phone: str = "",
    member_card: str = "",
    key: str = "",
) -> Ticket:
    """Issue the next number of the category: unique and gapless even with many kiosks.

    The customer is known by ``phone`` or ``member_card`` (the star record, HAL-04); a
    claimed level is only kept to compare with the record: priority comes from verification.
    ``key`` (the client's Idempotency-Key) makes a repeat return the ticket it issued, so a
    kiosk that lost the answer asks again safely; ``ticket_issue_keyed`` also says whether
    the ticket was new (the API answers 201 or 200).
    """
    ticket, _ = ticket_issue_keyed(
        hall_code=hall_code,
        by=by,
        category=category,
        star_claimed=star_claimed,
        vulnerable=vulnerable,
        preprocessing=preprocessing,
        phone=phone,
        member_card=member_card,
        key=key,
    )
    return ticket


def ticket_issue_keyed(
    *,
    hall_code: str,
    by: User | None,
    category: str,
    star_claimed: int = 0,
    vulnerable: bool = False,
    preprocessing: list[str] | None = None,
    phone: str = "",
    member_card: str = "",
    key: str = "",
) -> tuple[Ticket, bool]:
    """``ticket_issue`` that also says whether the ticket was created (False: a repeat)."""
    hall = hall_for(by=by, code=hall_code)
    if category not in hall.categories:
        raise ValidationFailed(
            "ticket.category", f"类别须为 {'/'.join(hall.categories)}", field="category"
        )
    star_claim_check(star_claimed)
    told = [str(a) for a in preprocessing or []]
    if any(a not in NEEDS for a in told):
        # Only the customer's own answers: what staff did is recorded when they do it (HAL-07).
        raise ValidationFailed(
            "ticket.preprocessing",
            f"取号时只能说明：{'、'.join(LABELS['kiosk_answer'][a].zh for a in NEEDS)}",
            field="preprocessing",
            rule="HAL-07",
        )
    identity = star_identify(phone=phone, member_card=member_card)
    now = clock_now()
    day = local(now).date()
    key = key.strip()
    for _ in range(3):
        if key:
            before = Ticket.objects.filter(hall=hall, idem_key=key).first()
            if before is not None:
                if before.category != category:
                    raise Conflict(
                        "idempotency.mismatch",
                        f"幂等键已用于类别 {before.category} 的取号，不能用于类别 {category}",
                        field="Idempotency-Key",
                    )
                return before, False
        try:
            ticket = _issue(  # atomic: a failed insert rolls its number back
                hall=hall,
                day=day,
                category=category,
                now=now,
                star=star_claimed,
                vulnerable=vulnerable,
                preprocessing=preprocessing,
                identity=identity,
                key=key,
            )
            return ticket, True
        except IntegrityError:
            # Two kiosks created the day's sequence row at once, or the same key arrived
            # twice at once: the number was rolled back with it; look again.
            continue
    raise Conflict("ticket.busy", "取号繁忙，请重试", field="category")


@transaction.atomic
def _issue(
    *,
    hall: Hall,
    day: dt.date,
    category: str,
    now: dt.datetime,
    star: int,
    vulnerable: bool,
    preprocessing: list[str] | None = None,
    transferred_from: Ticket | None = None,
    identity: StarIdentity | None = None,
    key: str = "",
) -> Ticket:
    # The sequence row is locked until commit: kiosks queue here, so numbers have no gaps.
    seq, _ = TicketSequence.objects.select_for_update().get_or_create(
        hall=hall, day=day, category=category
    )
    seq.last += 1
    seq.save(update_fields=["last"])
    return Ticket.objects.create(
        hall=hall,
        day=day,
        category=category,
        number=seq.last,
        star_claimed=star,
        star_verified=transferred_from.star_verified if transferred_from else None,
        vulnerable=vulnerable,
        # A transferred customer keeps the first ticket's time, and so their place in the queue.
        issued_at=transferred_from.issued_at if transferred_from else now,
        preprocessing=preprocessing or [],
        transferred_from=transferred_from,
        idem_key=key,
        **_star_fields(identity, transferred_from),
    )


def _star_fields(identity: StarIdentity | None, before: Ticket | None) -> dict[str, object]:
    """The star record found at issue; a transferred ticket keeps the first one's (HAL-04)."""
    if before is not None:
        names = ("star_ref", "star_phone", "star_record", "star_mismatch", "star_verified_at")
        return {n: getattr(before, n) for n in names} | {
            "star_verified_by_id": before.star_verified_by_id
        }
    if identity is None:
        return {}
    record = identity.record
    return {
        "star_ref": record.ref if record else "",
        "star_phone": identity.phone_masked or (record.phone_masked if record else ""),
        "star_record": record.level if record else None,
    }


def _counter(counter_id: int, *, by: User | None, hall_code: str | None = None) -> Counter:
    """The counter, row-locked, if ``by`` works in its hall (and it is of ``hall_code``)."""
    counter = (
        Counter.objects.select_for_update(of=("self",))
        .select_related("hall")
        .filter(id=counter_id)
        .first()
    )
    missing = NotFound("counter.not_found", f"窗口 {counter_id} 不存在", field="counter_id")
    if counter is None or (hall_code is not None and counter.hall.code != hall_code):
        raise missing
    hall_require(counter.hall_id, by=by, error=missing)
    return counter


@transaction.atomic
def ticket_call_next(
    *, counter_id: int, by: User | None, hall_code: str | None = None
) -> Ticket | None:
    """The counter calls the waiting ticket the slack policy picks; None when nobody waits."""
    counter = _counter(counter_id, by=by, hall_code=hall_code)
    if counter.status != CounterStatus.OPEN:
        raise Conflict("counter.not_open", f"{counter} 未开放，不能叫号", field="counter_id")
    if Ticket.objects.filter(
        counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
    ).exists():
        raise Conflict("counter.busy", f"{counter} 仍有未办结的号", field="counter_id")
    now = clock_now()
    targets = targets_from_norms(norms_snapshot())
    # Other counters call at the same time: read without locks, then claim the chosen ticket
    # with a conditional update; a lost race simply picks again.
    for _ in range(5):
        heads = _queue_heads(counter, now)
        chosen = call_next(0.0, {cls: h[1] for cls, h in heads.items()}, targets)
        if chosen is None:
            return None
        ticket = heads[chosen][0]
        claimed = Ticket.objects.filter(id=ticket.id, status=TicketStatus.WAITING).update(
            status=TicketStatus.CALLED, called_at=now, counter=counter
        )
        if claimed:
            ticket.status, ticket.called_at, ticket.counter = TicketStatus.CALLED, now, counter
            needs_unmet_record(ticket, hall_code=counter.hall.code, now=now)  # HAL-07
            mobile_queue_moved(hall_id=counter.hall_id, now=now)  # "nearly your turn" (ADR 0028)
            return ticket
    raise Conflict("counter.race", "叫号冲突，请重试", field="counter_id")


def _queue_heads(counter: Counter, now: dt.datetime) -> dict[str, tuple[Ticket, float | None]]:
    """The oldest waiting ticket of each calling class, with its ticket time in minutes from now."""
    heads: dict[str, tuple[Ticket, float | None]] = {}
    waiting = Ticket.objects.filter(
        hall=counter.hall, status=TicketStatus.WAITING, category__in=counter.categories
    ).order_by("issued_at", "id")
    for t in waiting.iterator(chunk_size=200):
        cls = ticket_class(t, for_calling=True)
        if cls not in heads:
            heads[cls] = (t, (t.issued_at - now).total_seconds() / 60)
        if len(heads) == 3:
            break
    return heads


def ticket_lock(ticket_id: int, *, hall_code: str, by: User | None) -> Ticket:
    """The ticket, row-locked, if it is of ``hall_code`` and ``by`` works there; else 404."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("hall", "counter")
        .filter(id=ticket_id, hall__code=hall_code)
        .first()
    )
    missing = NotFound("ticket.not_found", f"本厅没有号 {ticket_id}", field="ticket_id")
    if ticket is None:
        raise missing
    hall_require(ticket.hall_id, by=by, error=missing)
    return ticket


@transaction.atomic
def ticket_start(*, ticket_id: int, hall_code: str, by: User | None) -> Ticket:
    """Service starts: the wait from ticket to here is measured against the class target (HAL-02)."""
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status != TicketStatus.CALLED:
        raise Conflict(
            "ticket.not_called",
            f"{ticket.code} 状态为 {ticket.get_status_display()}",
            field="ticket_id",
        )
    now = clock_now()
    ticket.status, ticket.started_at = TicketStatus.SERVING, now
    ticket.save(update_fields=["status", "started_at"])
    if ticket.transferred_from_id is not None:
        return ticket  # the wait was measured when the first ticket's service started
    limits = norms_snapshot().param("HAL-02", "max_wait_minutes")
    cls = ticket_class(ticket)
    limit = limits[HAL02_KEYS[cls]]
    # An appointment's ticket time is its slot (ADR 0028): called before it, it waited 0.
    waited = max(0.0, (now - ticket.issued_at).total_seconds() / 60)
    said = {"ticket": ticket.code, "waited": waited, "limit": limit}
    verdict = (
        Verdict.keep("HAL-02", reason("hal02.wait_within", **said))
        if waited <= limit
        else Verdict.broke("HAL-02", reason("hal02.wait_over", **said))
    )
    norm_check_record(
        verdict=verdict, at=now, area_code=ticket.hall.code, person=by.username if by else ""
    )
    return ticket


@transaction.atomic
def ticket_finish(*, ticket_id: int, hall_code: str, by: User | None) -> Ticket:
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status != TicketStatus.SERVING:
        raise Conflict(
            "ticket.not_serving",
            f"{ticket.code} 状态为 {ticket.get_status_display()}，不能完成",
            field="ticket_id",
        )
    ticket.status, ticket.finished_at = TicketStatus.DONE, clock_now()
    ticket.save(update_fields=["status", "finished_at"])
    return ticket


@transaction.atomic
def counter_set_status(
    *,
    counter_id: int,
    status: str,
    by: User | None,
    staff: User | None = None,
    hall_code: str | None = None,
) -> Counter:
    """Open, pause or close a counter; opening answers a peak alert (HAL-03).

    Whoever opens it staffs it, unless ``staff`` names someone else (a duty manager moving
    staff to the counter), whose post then moves there too.
    """
    if status not in CounterStatus.values:
        raise ValidationFailed(
            "counter.status", f"状态须为{'、'.join(CounterStatus.labels)}之一", field="status"
        )
    counter = _counter(counter_id, by=by, hall_code=hall_code)
    if staff is not None:
        _require_movable(staff, counter)
    opening = status == CounterStatus.OPEN and counter.status != CounterStatus.OPEN
    counter.status = status
    if status == CounterStatus.OPEN and (staff or by) is not None:
        counter.staff = staff or by
    counter.save(update_fields=["status", "staff"])
    if staff is not None and status == CounterStatus.OPEN:
        post_move(user=staff, counter=counter, by=by)
    if opening:
        peak_answered(hall=counter.hall, now=clock_now())
    return counter


def _require_movable(person: User, counter: Counter) -> None:
    """Only hall staff of this hall (or not yet posted anywhere) take over or are moved here."""
    if person.role != Role.HALL_STAFF or not person.is_active:
        raise ValidationFailed("counter.handover_to", f"{person} 不是营业员，不能接班", field="to")
    post = post_get(person)
    if post is not None and post.hall_id != counter.hall_id:
        raise ValidationFailed(
            "counter.handover_to", f"{person} 不在本厅工作，不能接班", field="to"
        )


@refusals_remembered
@transaction.atomic
def counter_handover(
    *,
    counter_id: int,
    to: User,
    pending_replies: list[str],
    by: User | None,
    hall_code: str | None = None,
) -> Counter:
    """A shift handover never happens mid-service (HAL-10) and records the pending replies."""
    counter = _counter(counter_id, by=by, hall_code=hall_code)
    _require_movable(to, counter)
    serving = Ticket.objects.filter(
        counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
    ).first()
    now = clock_now()
    if serving is not None:
        raise RuleViolation(
            "counter.mid_service",
            f"{serving.code} 办理中，不能交接",
            rule="HAL-10",
            field="counter_id",
        )
    Handover.objects.create(
        counter=counter,
        from_user=counter.staff or by,
        to_user=to,
        at=now,
        pending_replies=pending_replies,
    )
    # One person at a counter at a time: whoever was posted there is posted off it.
    post_clear_counter(counter=counter, keep=to, by=by)
    counter.staff = to
    counter.save(update_fields=["staff"])
    post_move(user=to, counter=counter, by=by)
    norm_check_record(
        verdict=Verdict.keep(
            "HAL-10",
            reason("hal10.handover", pending=len(pending_replies)),
            pending=len(pending_replies),
        ),
        at=now,
        area_code=counter.hall.code,
        person=to.username,
    )
    return counter


@transaction.atomic
def ticket_recall(*, ticket_id: int, hall_code: str, by: User | None) -> Ticket:
    """Call the same ticket again: the calling screen announces it once more."""
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status != TicketStatus.CALLED:
        raise Conflict(
            "ticket.not_called",
            f"{ticket.code} 状态为 {ticket.get_status_display()}，不能重呼",
            field="ticket_id",
        )
    ticket.called_at = clock_now()
    ticket.save(update_fields=["called_at"])
    return ticket


@transaction.atomic
def ticket_no_show(*, ticket_id: int, hall_code: str, by: User | None) -> Ticket:
    """A called customer did not come to the counter: the ticket ends and the counter is free."""
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status != TicketStatus.CALLED:
        raise Conflict(
            "ticket.not_called",
            f"{ticket.code} 状态为 {ticket.get_status_display()}，不能记为过号",
            field="ticket_id",
        )
    ticket.status, ticket.finished_at = TicketStatus.NO_SHOW, clock_now()
    ticket.save(update_fields=["status", "finished_at"])
    return ticket


@transaction.atomic
def ticket_transfer(*, ticket_id: int, hall_code: str, category: str, by: User | None) -> Ticket:
    """Send a customer being served to another business category.

    The ticket ends as transferred and a new one is queued in ``category`` with the first
    ticket's time, verified star level and priority, so the customer keeps their place.
    """
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status != TicketStatus.SERVING:
        raise Conflict(
            "ticket.not_serving",
            f"{ticket.code} 状态为 {ticket.get_status_display()}，开始办理后才能转办",
            field="ticket_id",
        )
    hall = ticket.hall
    if category not in hall.categories or category == ticket.category:
        others = "/".join(c for c in hall.categories if c != ticket.category)
        raise ValidationFailed("ticket.category", f"转办类别须为 {others}", field="category")
    now = clock_now()
    ticket.status, ticket.finished_at = TicketStatus.TRANSFERRED, now
    ticket.save(update_fields=["status", "finished_at"])
    return _issue(
        hall=hall,
        day=local(now).date(),
        category=category,
        now=now,
        star=ticket.star_claimed,
        vulnerable=ticket.vulnerable,
        preprocessing=list(ticket.preprocessing),
        transferred_from=ticket,
    )
