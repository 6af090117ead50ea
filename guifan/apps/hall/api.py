"""/api/v1/halls: kiosk, counter terminal and handovers. Parse, call, render."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role, User
from guifan.apps.hall import services
from guifan.apps.hall.abandon import ticket_abandon
from guifan.apps.hall.business import ticket_business_record
from guifan.apps.hall.greeting import customer_greet, ticket_take
from guifan.apps.hall.models import Ticket
from guifan.apps.hall.preprocess import ticket_preprocess
from guifan.apps.hall.ratings import ticket_rate
from guifan.apps.hall.verification import ticket_verify_star
from guifan.errors import NotFound
from guifan.textinput import Text

router = Router(auth=TokenAuth(), tags=["hall"])
HALL = (Role.HALL_STAFF, Role.DUTY_MANAGER, Role.SYSTEM)
VERIFIERS = (Role.HALL_STAFF, Role.DUTY_MANAGER)  # people check identity (HAL-04)


# A hall's code, as in the path (Hall.code).
HallCode = Annotated[str, Text(20)]
Category = Annotated[str, Text(2)]
# Who the customer is for HAL-04: a phone number or the member card (the star record's key).
Phone = Annotated[str, Text(20)]
MemberCard = Annotated[str, Text(40)]


class TicketIn(Schema):
    category: Category
    phone: Phone = ""
    member_card: MemberCard = ""
    star_claimed: int = 0  # what the customer says (kept to compare with the record only)
    vulnerable: bool = False
    preprocessing: list[Annotated[str, Text(40)]] = Field(default_factory=list, max_length=20)


class TicketOut(Schema):
    id: int
    code: str
    category: str
    number: int
    status: str
    issued_at: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    counter_id: int | None
    star_claimed: int = 0
    star_phone: str = ""  # masked (SEC-01)
    star_record: int | None = None  # the record's level (HAL-04)
    star_verified: int | None = None  # the priority level granted after verification
    star_mismatch: bool = False


class TransferIn(Schema):
    category: Category


class BusinessIn(Schema):
    kind: str = Field(..., max_length=12)  # inquiry | transaction
    business: Annotated[str, Text(40)]
    id_checked: bool = False  # real-name verification done (SEC-03)
    id_recorded: bool = False  # an ID number was taken down


class BusinessOut(Schema):
    id: int
    ticket_id: int
    kind: str
    business: str
    id_checked: bool
    at: dt.datetime


class StarIn(Schema):
    """HAL-04: staff checked the customer's identity; the level is read from the record."""

    id_checked: bool = False
    phone: Phone = ""
    member_card: MemberCard = ""
    star_level: int | None = None  # refused when given: a level is never keyed in


class CounterStatusIn(Schema):
    status: Annotated[str, Text(20)]


class GreetingIn(Schema):
    route: Annotated[str, Text(20)]
    category: Category | None = None
    phone: Phone = ""
    member_card: MemberCard = ""
    star_claimed: int = 0
    priority_group: Annotated[str, Text(40)] | None = None


class GreetingOut(Schema):
    route: str
    ticket: TicketOut | None


class PreprocessIn(Schema):
    step: Annotated[str, Text(40)]


class HandoverIn(Schema):
    to_username: Annotated[str, Text(150)]
    pending_replies: list[Annotated[str, Text(200)]] = Field(default_factory=list, max_length=50)


def _out(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.id,
        "code": t.code,
        "category": t.category,
        "number": t.number,
        "status": t.status,
        "issued_at": t.issued_at,
        "called_at": t.called_at,
        "started_at": t.started_at,
        "counter_id": t.counter_id,
        "star_claimed": t.star_claimed,
        "star_phone": t.star_phone,
        "star_record": t.star_record,
        "star_verified": t.star_verified,
        "star_mismatch": t.star_mismatch,
    }


@router.post("/{hall}/tickets", response={200: TicketOut, 201: TicketOut})
def ticket_create(
    request: HttpRequest,
    hall: HallCode,
    body: TicketIn,
    idempotency_key: Annotated[
        Annotated[str, Text(200)] | None, Header(alias="Idempotency-Key")
    ] = None,
) -> Status[Any]:
    """Issue a ticket. With an ``Idempotency-Key`` a repeat (a lost answer, a 5xx) returns
    the ticket the key issued with 200 instead of a second number."""
    user = request_user(request, *HALL)
    t, created = ticket_take(
        hall_code=hall,
        key=idempotency_key or "",
        by=user,
        category=body.category,
        star_claimed=body.star_claimed,
        vulnerable=body.vulnerable,
        preprocessing=body.preprocessing,
        phone=body.phone,
        member_card=body.member_card,
    )
    return Status(201 if created else 200, _out(t))


@router.post("/{hall}/counters/{counter_id}/call-next", response={200: TicketOut, 204: None})
def call_next(request: HttpRequest, hall: HallCode, counter_id: int) -> Any:
    user = request_user(request, *HALL)
    t = services.ticket_call_next(counter_id=counter_id, by=user, hall_code=hall)
    return Status(204, None) if t is None else _out(t)


@router.post("/{hall}/counters/{counter_id}/status", response=dict)
def counter_status(
    request: HttpRequest, hall: HallCode, counter_id: int, body: CounterStatusIn
) -> dict[str, Any]:
    user = request_user(request, *HALL)
    c = services.counter_set_status(
        counter_id=counter_id, status=body.status, by=user, hall_code=hall
    )
    return {"id": c.id, "status": c.status}


@router.post("/{hall}/counters/{counter_id}/handover", response=dict)
def counter_handover(
    request: HttpRequest, hall: HallCode, counter_id: int, body: HandoverIn
) -> dict[str, Any]:
    user = request_user(request, *HALL)
    to = User.objects.filter(username=body.to_username, is_active=True).first()
    if to is None:
        raise NotFound("user.not_found", f"用户 {body.to_username!r} 不存在", field="to_username")
    c = services.counter_handover(
        counter_id=counter_id,
        to=to,
        pending_replies=body.pending_replies,
        by=user,
        hall_code=hall,
    )
    return {"id": c.id, "staff": to.username}


@router.post("/{hall}/tickets/{ticket_id}/verify-star", response=TicketOut)
def verify_star(
    request: HttpRequest, hall: HallCode, ticket_id: int, body: StarIn
) -> dict[str, Any]:
    """HAL-04: staff checked identity; the level comes from the record (a device never
    verifies: 403). Without the identity check, or with a level keyed in: 422 naming HAL-04."""
    user = request_user(request, *VERIFIERS)
    return _out(
        ticket_verify_star(
            ticket_id=ticket_id,
            hall_code=hall,
            by=user,
            id_checked=body.id_checked,
            phone=body.phone,
            member_card=body.member_card,
            star_level=body.star_level,
        )
    )


@router.post("/{hall}/tickets/{ticket_id}/start", response=TicketOut)
def start(request: HttpRequest, hall: HallCode, ticket_id: int) -> dict[str, Any]:
    user = request_user(request, *HALL)
    return _out(services.ticket_start(ticket_id=ticket_id, hall_code=hall, by=user))


@router.post("/{hall}/tickets/{ticket_id}/finish", response=TicketOut)
def finish(request: HttpRequest, hall: HallCode, ticket_id: int) -> dict[str, Any]:
    user = request_user(request, *HALL)
    return _out(services.ticket_finish(ticket_id=ticket_id, hall_code=hall, by=user))


@router.post("/{hall}/tickets/{ticket_id}/business", response={201: BusinessOut})
def business(request: HttpRequest, hall: HallCode, ticket_id: int, body: BusinessIn) -> Status[Any]:
    """SEC-03: an inquiry asks for no ID; a transaction is refused (422 naming SEC-03) until
    the customer's real name is verified."""
    user = request_user(request, *HALL)
    record = ticket_business_record(
        ticket_id=ticket_id,
        hall_code=hall,
        kind=body.kind,
        business=body.business,
        id_checked=body.id_checked,
        id_recorded=body.id_recorded,
        by=user,
    )
    return Status(201, record)


@router.post("/{hall}/tickets/{ticket_id}/recall", response=TicketOut)
def recall(request: HttpRequest, hall: HallCode, ticket_id: int) -> dict[str, Any]:
    user = request_user(request, *HALL)
    return _out(services.ticket_recall(ticket_id=ticket_id, hall_code=hall, by=user))


@router.post("/{hall}/tickets/{ticket_id}/no-show", response=TicketOut)
def no_show(request: HttpRequest, hall: HallCode, ticket_id: int) -> dict[str, Any]:
    user = request_user(request, *HALL)
    return _out(services.ticket_no_show(ticket_id=ticket_id, hall_code=hall, by=user))


@router.post("/{hall}/tickets/{ticket_id}/transfer", response={201: TicketOut})
def transfer(request: HttpRequest, hall: HallCode, ticket_id: int, body: TransferIn) -> Status[Any]:
    """End the ticket as transferred; the answer is the customer's new ticket."""
    user = request_user(request, *HALL)
    moved = services.ticket_transfer(
        ticket_id=ticket_id, hall_code=hall, category=body.category, by=user
    )
    return Status(201, _out(moved))


@router.post("/{hall}/greetings", response={201: GreetingOut})
def greeting(request: HttpRequest, hall: HallCode, body: GreetingIn) -> Status[Any]:
    """The greeter routes an entering customer (HAL-06); a counter route gets a ticket."""
    user = request_user(request, *HALL)
    t = customer_greet(
        hall_code=hall,
        route=body.route,
        category=body.category,
        star_claimed=body.star_claimed,
        priority_group=body.priority_group,
        phone=body.phone,
        member_card=body.member_card,
        by=user,
    )
    return Status(201, {"route": body.route, "ticket": None if t is None else _out(t)})


@router.post("/{hall}/tickets/{ticket_id}/preprocess", response=TicketOut)
def preprocess(
    request: HttpRequest, hall: HallCode, ticket_id: int, body: PreprocessIn
) -> dict[str, Any]:
    user = request_user(request, *HALL)
    return _out(ticket_preprocess(ticket_id=ticket_id, hall_code=hall, step=body.step, by=user))


@router.post("/{hall}/tickets/{ticket_id}/abandon", response=TicketOut)
def abandon(request: HttpRequest, hall: HallCode, ticket_id: int) -> dict[str, Any]:
    """The customer left before being called (not a no-show: nobody was called)."""
    user = request_user(request, *HALL)
    return _out(ticket_abandon(ticket_id=ticket_id, hall_code=hall, by=user))


class HallRatingIn(Schema):
    score: int  # 1 (very unsatisfied) to 5 (very satisfied)
    reason: Annotated[str, Text(20)] = (
        ""  # optional: wait, attitude, unsolved, process, environment
    )


class RatingOut(Schema):
    ticket_id: int
    score: int
    reason: str
    at: dt.datetime


@router.post("/{hall}/tickets/{ticket_id}/rating", response={201: RatingOut})
def rating(request: HttpRequest, hall: HallCode, ticket_id: int, body: HallRatingIn) -> Status[Any]:
    """The customer rates a finished service on the counter's rating device: once per ticket,
    within 10 minutes of the finish (409 otherwise); a bad score or reason is a 422."""
    user = request_user(request, *HALL)
    r = ticket_rate(
        ticket_id=ticket_id, hall_code=hall, score=body.score, reason=body.reason, by=user
    )
    return Status(201, {"ticket_id": r.ticket_id, "score": r.score, "reason": r.reason, "at": r.at})
