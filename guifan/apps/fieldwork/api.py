"""/api/v1/visits: the technician's visit — trip, checklist with evidence, door, photos,
signature, rating and completion. The same services as the phone pages and the offline sync."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.fieldwork.checklist import fee_table
from guifan.apps.fieldwork.services import (
    checklist_step_record,
    field_trip_step,
    field_visit_complete,
    visit_photo_add,
    visit_rating_save,
    visit_signature_save,
)
from guifan.apps.fieldwork.services.door import door_unanswered
from guifan.apps.fieldwork.services.evidence import png_from_data_url
from guifan.apps.fieldwork.services.state import visit_state
from guifan.errors import ValidationFailed
from guifan.textinput import Instant, Text

router = Router(auth=TokenAuth(), tags=["visits"])

FIELD = (Role.TECHNICIAN,)


class Versioned(Schema):
    version: int = Field(description="The order's version as read; a changed order is 409.")


class CompleteIn(Versioned):
    fix_certain: bool = Field(
        True, description="False: the repair may not hold; the call centre calls back (QA-01)."
    )


class TripIn(Versioned):
    action: Annotated[str, Text(10)]


class StepIn(Versioned):
    norm_id: Annotated[str, Text(10)]
    outcome: Annotated[str, Text(10)] = "done"
    reason: Annotated[str, Text(200)] = ""
    evidence: dict[str, Any] | None = Field(
        default=None, description="What the norm asks to see; see GET /visits/{id} steps[].evidence"
    )


class DoorEventIn(Schema):
    kind: Annotated[str, Text(10)]
    at: Instant


class DoorNoteIn(Schema):
    name: Annotated[str, Text(40)]
    phone: Annotated[str, Text(20)]
    left: Instant


class DoorIn(Versioned):
    events: list[DoorEventIn] = Field(max_length=50)
    note: DoorNoteIn


class PhotoIn(Schema):
    content_type: Annotated[str, Text(40)]
    data_base64: Annotated[str, Text(8 * 1024 * 1024)]
    norm_id: Annotated[str, Text(10)] = ""


class SignatureIn(Schema):
    png: Annotated[str, Text(1024 * 1024)] = Field(description="data:image/png;base64,…")


class RatingIn(Schema):
    score: int
    comment: Annotated[str, Text(300)] = ""


class StepOut(Schema):
    id: int
    norm_id: str
    outcome: str
    at: dt.datetime
    shortfalls: list[str]
    blocks: bool
    evidence: dict[str, Any]


class CreatedOut(Schema):
    id: int


class FeeOut(Schema):
    code: str
    name: str
    amount: float
    category: str


@router.get("/fees", response=list[FeeOut])
def fees(request: HttpRequest) -> list[dict[str, Any]]:
    """The published fee table shown before chargeable work (VIS-08)."""
    request_user(request, Role.TECHNICIAN, Role.DISPATCHER, Role.QUALITY)
    table, _ = fee_table()
    return [
        {"code": f.code, "name": f.name, "amount": f.amount, "category": f.category}
        for f in table.values()
    ]


@router.get("/{order_id}", response=dict)
def visit_get(request: HttpRequest, order_id: int) -> dict[str, Any]:
    """The visit's checklist: each step's norm, evidence asked for and last record; and what
    completion still lacks."""
    user = request_user(request, *FIELD, Role.DISPATCHER, Role.QUALITY)
    return visit_state(order_id=order_id, by=user)


@router.post("/{order_id}/trip", response=dict)
def trip(request: HttpRequest, order_id: int, body: TripIn) -> dict[str, Any]:
    user = request_user(request, *FIELD)
    order = field_trip_step(
        order_id=order_id, action=body.action, expected_version=body.version, by=user
    )
    return {"id": order.id, "status": order.status, "version": order.version}


@router.post("/{order_id}/steps", response={201: StepOut})
def step(request: HttpRequest, order_id: int, body: StepIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    record = checklist_step_record(
        order_id=order_id,
        norm_id=body.norm_id,
        outcome=body.outcome,
        reason=body.reason,
        evidence=body.evidence,
        expected_version=body.version,
        by=user,
    )
    return Status(201, record)


@router.post("/{order_id}/door", response={201: StepOut})
def door(request: HttpRequest, order_id: int, body: DoorIn) -> Status[Any]:
    """Nobody answers (VIS-03): the knock, call and neighbour times as tapped, and the note."""
    user = request_user(request, *FIELD)
    record = door_unanswered(
        order_id=order_id,
        events=[e.dict() for e in body.events],
        note=body.note.dict(),
        expected_version=body.version,
        by=user,
    )
    return Status(201, record)


@router.post("/{order_id}/photos", response={201: CreatedOut})
def photo(request: HttpRequest, order_id: int, body: PhotoIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    try:
        data = base64.b64decode(body.data_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed("photo.base64", "图片数据无效", field="data_base64") from None
    saved = visit_photo_add(
        order_id=order_id, data=data, content_type=body.content_type, norm_id=body.norm_id, by=user
    )
    return Status(201, {"id": saved.id})


@router.post("/{order_id}/signature", response={201: CreatedOut})
def signature(request: HttpRequest, order_id: int, body: SignatureIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    saved = visit_signature_save(order_id=order_id, png=png_from_data_url(body.png), by=user)
    return Status(201, {"id": saved.id})


@router.post("/{order_id}/rating", response={201: CreatedOut})
def rating(request: HttpRequest, order_id: int, body: RatingIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    saved = visit_rating_save(order_id=order_id, score=body.score, comment=body.comment, by=user)
    return Status(201, {"id": saved.id})


@router.post("/{order_id}/complete", response=dict)
def complete(request: HttpRequest, order_id: int, body: CompleteIn) -> dict[str, Any]:
    """Complete: 422 naming the norm and listing ``missing`` steps while the checklist lacks."""
    user = request_user(request, *FIELD)
    order = field_visit_complete(
        order_id=order_id, expected_version=body.version, by=user, fix_certain=body.fix_certain
    )
    return {"id": order.id, "status": order.status, "version": order.version}
