"""The call centre's API under /api/v1/callbacks: the worklist, claim, attempts and answers
(idempotent by the Idempotency-Key header or ``client_key``), re-visits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.callcentre import selectors, services
from guifan.apps.callcentre.choices import CallbackStatus
from guifan.clock import now as clock_now
from guifan.textinput import Text

AGENTS = (Role.QUALITY, Role.SYSTEM)

router = Router(auth=TokenAuth(), tags=["callbacks"])

Answer = bool | int | Annotated[str, Text(40)] | None


class AttemptOut(Schema):
    at: dt.datetime
    reached: bool
    note: str
    by: str


class CallbackOut(Schema):
    id: int
    order_id: int
    order_number: str
    purpose: str
    purpose_label: str
    norm_id: str
    due_at: dt.datetime
    overdue: bool
    status: str
    outcome: str
    owner: str | None
    answered_at: dt.datetime | None
    revisit_booked: bool
    customer_name: str
    phone_masked: str
    area: str
    technician: str | None
    attempts: list[AttemptOut]


class CallbackDetailOut(CallbackOut):
    form: dict[str, Any]


class ClaimIn(Schema):
    owner: Annotated[str, Text(150)] | None = Field(
        None, description="Assign to this quality agent; empty: the caller takes it."
    )


class AttemptIn(Schema):
    reached: bool
    note: Annotated[str, Text(300)] = ""
    answers: dict[Annotated[str, Text(40)], Answer] = Field(
        default_factory=dict, description="question id → answer, on the form's version"
    )
    form_version: int | None = Field(None, description="The version answered; default current.")
    client_key: Annotated[str, Text(200)] | None = None


class AttemptResultOut(Schema):
    callback: CallbackOut
    replayed: bool


class RevisitIn(Schema):
    reason: Annotated[str, Text(200)] = ""


@router.get("", response=list[CallbackOut])
def callback_list(
    request: HttpRequest, status: str = CallbackStatus.OPEN, mine: bool = False
) -> list[dict[str, Any]]:
    """The worklist, due first; ``overdue`` flags a passed window."""
    user = request_user(request, *AGENTS)
    now = clock_now()
    rows = selectors.callback_list(by=user, status=status, mine=mine)
    return [selectors.callback_view(c, now=now) for c in rows]


@router.get("/{callback_id}", response=CallbackDetailOut)
def callback_read(request: HttpRequest, callback_id: int) -> dict[str, Any]:
    """One callback with the survey form (current version) to ask."""
    user = request_user(request, *AGENTS)
    callback = selectors.callback_get(by=user, callback_id=callback_id)
    return {
        **selectors.callback_view(callback, now=clock_now()),
        "form": selectors.callback_form(callback),
    }


@router.post("/{callback_id}/claim", response=CallbackOut)
def callback_claim(request: HttpRequest, callback_id: int, body: ClaimIn) -> dict[str, Any]:
    user = request_user(request, *AGENTS)
    services.callback_claim(callback_id=callback_id, by=user, owner=body.owner)
    callback = selectors.callback_get(by=user, callback_id=callback_id)
    return selectors.callback_view(callback, now=clock_now())


@router.post("/{callback_id}/attempts", response={200: AttemptResultOut, 201: AttemptResultOut})
def callback_attempt(
    request: HttpRequest,
    callback_id: int,
    body: AttemptIn,
    idempotency_key: Annotated[
        Annotated[str, Text(200)] | None, Header(alias="Idempotency-Key")
    ] = None,
) -> Status[Any]:
    """One dial; reached with answers records the survey (each answer a verdict). The same
    key again answers with the first result (200) and records nothing."""
    user = request_user(request, *AGENTS)
    _, _, replayed = services.callback_attempt(
        callback_id=callback_id,
        by=user,
        reached=body.reached,
        note=body.note,
        client_key=idempotency_key or body.client_key or "",
        answers=dict(body.answers),
        form_version=body.form_version,
    )
    callback = selectors.callback_get(by=user, callback_id=callback_id)
    view = selectors.callback_view(callback, now=clock_now())
    return Status(200 if replayed else 201, {"callback": view, "replayed": replayed})


@router.post("/{callback_id}/revisit", response=CallbackOut)
def callback_revisit(request: HttpRequest, callback_id: int, body: RevisitIn) -> dict[str, Any]:
    """Book a re-visit: the order goes back to awaiting an appointment."""
    user = request_user(request, *AGENTS)
    services.callback_revisit(callback_id=callback_id, by=user, reason=body.reason)
    callback = selectors.callback_get(by=user, callback_id=callback_id)
    return selectors.callback_view(callback, now=clock_now())
