"""/api/v1: attach transcripts to orders; serve the script of each moment (LNG-03, LNG-05)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.compliance.services import scriptbook, ticket_transcript_check, transcript_check
from guifan.errors import NotFound
from guifan.textinput import Text

router = Router(auth=TokenAuth(), tags=["service language"])


class TurnIn(Schema):
    speaker: Annotated[str, Text(20)]
    text: Annotated[str, Text()]


# A conversation of at most this many turns is checked in one request.
Turns = Annotated[list[TurnIn], Field(max_length=500)]


class TranscriptIn(Schema):
    channel: Annotated[str, Text(10)]
    turns: Turns
    moment: Annotated[str, Text(30)] = ""
    contact_id: int | None = None
    # LNG-04: the language the call or visit was held in (普通话, 粤语, 方言:<name> ...), and
    # whether the customer asked for it. Left out: LNG-04 is not judged.
    language: Annotated[str, Text(30)] = ""
    dialect_requested: bool = False


class TranscriptOut(Schema):
    id: int
    order_id: int
    channel: str
    findings: list[dict[str, Any]]
    courtesy: dict[str, int]
    missing: list[str]
    score: int
    language: str
    manner: dict[str, Any]


class ScriptOut(Schema):
    moment: str
    channel: str
    norm: str
    lines: list[str]


@router.post("/orders/{order_id}/transcripts", response={201: TranscriptOut})
def transcript_create(request: HttpRequest, order_id: int, body: TranscriptIn) -> Status[Any]:
    user = request_user(request, Role.DISPATCHER, Role.SYSTEM, Role.TECHNICIAN, Role.QUALITY)
    row = transcript_check(
        order_id=order_id,
        channel=body.channel,
        turns=[t.dict() for t in body.turns],
        moment=body.moment,
        contact_id=body.contact_id,
        language=body.language,
        dialect_requested=body.dialect_requested,
        by=user,
    )
    return Status(201, row)


class HallTranscriptIn(Schema):
    turns: Turns


class HallTranscriptOut(Schema):
    id: int
    ticket_id: int
    channel: str
    findings: list[dict[str, Any]]
    courtesy: dict[str, int]
    missing: list[str]
    score: int


@router.post("/halls/{hall}/tickets/{ticket_id}/transcripts", response={201: HallTranscriptOut})
def hall_transcript_create(
    request: HttpRequest,
    hall: Annotated[str, Text(20)],
    ticket_id: int,
    body: HallTranscriptIn,
) -> Status[Any]:
    user = request_user(request, Role.HALL_STAFF, Role.DUTY_MANAGER, Role.QUALITY, Role.SYSTEM)
    row = ticket_transcript_check(
        hall_code=hall, ticket_id=ticket_id, turns=[t.dict() for t in body.turns], by=user
    )
    return Status(201, row)


@router.get("/scripts/{moment}", response=ScriptOut)
def script_get(
    request: HttpRequest,
    moment: Annotated[str, Text(30)],
    surname: Annotated[str, Text(50)] = "",
    title: Annotated[str, Text(10)] = "",
) -> dict[str, Any]:
    # Every role speaks to customers or checks those who do: any valid token may read a script.
    request_user(
        request,
        Role.DISPATCHER,
        Role.TECHNICIAN,
        Role.HALL_STAFF,
        Role.DUTY_MANAGER,
        Role.QUALITY,
        Role.SYSTEM,
    )
    book = scriptbook()
    if moment not in book.scripts:
        raise NotFound(
            "script.unknown_moment",
            f"未知场景 {moment!r}:{', '.join(book.scripts)}",
            field="moment",
        )
    lines = book.render(moment, name=book.address(surname=surname, title=title))
    return {
        "moment": moment,
        "channel": book.scripts[moment].channel,
        "norm": book.norm,
        "lines": list(lines),
    }
