"""Field execution (issue 13): the provisioning system's activation (ORD-09, ORD-10), the
pre-departure kit check (DSP-06) and the crew of a joint visit (ORD-11). Parse, call, render.

``provisioning_router`` is mounted at /api/v1/provisioning, ``visits_router`` at
/api/v1/visits beside the field router (paths that cannot clash with it).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.orders import selectors
from guifan.apps.orders.models import Activation, KitCheck
from guifan.apps.orders.services.activations import activation_record
from guifan.apps.orders.services.crew import visit_crew_set
from guifan.apps.orders.services.kit import kit_check_record, kit_items
from guifan.textinput import DbId, Instant, Text

provisioning_router = Router(auth=TokenAuth(), tags=["provisioning"])
visits_router = Router(auth=TokenAuth(), tags=["visits"])

OFFICE = (Role.DISPATCHER, Role.SYSTEM)
FIELD = (Role.DISPATCHER, Role.SYSTEM, Role.TECHNICIAN)


class ActivationIn(Schema):
    order_id: int | None = None
    external_id: Annotated[str, Text(200)] | None = None
    line: Annotated[str, Text(100)] = ""
    activated_at: Instant | None = None
    activation_id: Annotated[str, Text(200)] | None = None


class ActivationOut(Schema):
    id: int
    order_id: int
    line: str
    activated_at: dt.datetime
    recorded_at: dt.datetime


@provisioning_router.post("/activations", response={200: ActivationOut, 201: ActivationOut})
def activation_create(
    request: HttpRequest,
    body: ActivationIn,
    idempotency_key: Annotated[
        Annotated[str, Text(200)] | None, Header(alias="Idempotency-Key")
    ] = None,
) -> Status[Activation]:
    """The network side says the order's line is live; a repeat answers with the first."""
    user = request_user(request, Role.SYSTEM)
    activation, created = activation_record(
        order_id=body.order_id,
        external_id=body.external_id,
        line=body.line,
        key=idempotency_key or body.activation_id or "",
        activated_at=body.activated_at,
        by=user,
    )
    return Status(201 if created else 200, activation)


class KitCheckIn(Schema):
    items: dict[Annotated[str, Text(60)], bool] = Field(default_factory=dict, max_length=64)
    version: int | None = None


class KitCheckOut(Schema):
    id: int
    at: dt.datetime
    complete: bool
    missing: list[str]
    items: dict[str, bool]


class KitListOut(Schema):
    required: list[str]
    latest: KitCheckOut | None


@visits_router.get("/{order_id}/kit-check", response=KitListOut)
def kit_check_get(request: HttpRequest, order_id: int) -> dict[str, Any]:
    """The order's checklist and its last recorded check."""
    user = request_user(request, *FIELD)
    order = selectors.order_get(order_id=order_id, by=user, detail=False)
    latest = order.kit_checks.order_by("-at", "-id").first()
    return {"required": kit_items(order), "latest": latest}


@visits_router.post("/{order_id}/kit-check", response={201: KitCheckOut})
def kit_check_create(request: HttpRequest, order_id: int, body: KitCheckIn) -> Status[KitCheck]:
    """DSP-06: the ticked checklist; ``depart`` needs a complete one of today."""
    user = request_user(request, *FIELD)
    check = kit_check_record(
        order_id=order_id, items=body.items, expected_version=body.version, by=user
    )
    return Status(201, check)


class CrewIn(Schema):
    technician_ids: list[DbId] = Field(max_length=8)
    contact_id: DbId | None = None
    version: int | None = None


class CrewOut(Schema):
    technician_id: int
    is_contact: bool
    products: list[str]


@visits_router.get("/{order_id}/crew", response=list[CrewOut])
def crew_list(request: HttpRequest, order_id: int) -> list[Any]:
    """ORD-11: who goes on the order's one visit (empty: the assigned technician alone)."""
    user = request_user(request, *FIELD, Role.QUALITY)
    order = selectors.order_get(order_id=order_id, by=user, detail=False)
    return list(order.crew.order_by("id"))


@visits_router.post("/{order_id}/crew", response=list[CrewOut])
def crew_set(request: HttpRequest, order_id: int, body: CrewIn) -> list[Any]:
    """ORD-11: the technicians of the order's one visit and the one who is the contact."""
    user = request_user(request, *OFFICE)
    return list(
        visit_crew_set(
            order_id=order_id,
            technician_ids=body.technician_ids,
            contact_id=body.contact_id,
            expected_version=body.version,
            by=user,
        )
    )
