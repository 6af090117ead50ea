"""The stars API: the CRM's import (STAR-01), a member by phone, entitlement uses (STAR-02)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.stars import services
from guifan.apps.stars.models import Channel, EntitlementUse
from guifan.apps.stars.selectors import member_view
from guifan.textinput import Text

router = Router(auth=TokenAuth(), tags=["stars"])
orders_router = Router(auth=TokenAuth(), tags=["stars"])

CRM = (Role.SYSTEM,)
STAFF = (
    Role.SYSTEM,
    Role.DISPATCHER,
    Role.TECHNICIAN,
    Role.HALL_STAFF,
    Role.DUTY_MANAGER,
    Role.QUALITY,
)
COUNTER = (Role.SYSTEM, Role.HALL_STAFF, Role.DUTY_MANAGER)
FIELD = (Role.SYSTEM, Role.DISPATCHER, Role.TECHNICIAN)


class ImportIn(Schema):
    # Each row as the CSV's columns (see guifan.apps.stars.rows); line numbers count from 1.
    rows: list[dict[str, str | int | None]] = Field(..., max_length=50000)


class ImportOut(Schema):
    members: int
    months: int
    changed: int


class CounterUseIn(Schema):
    hall: Annotated[str, Text(20)]
    kind: Annotated[str, Text(40)]
    key: Annotated[str, Text(80)]
    phone: Annotated[str, Text(20)] = ""
    ref: Annotated[str, Text(40)] = ""
    consent: bool = False


class VisitUseIn(Schema):
    kind: Annotated[str, Text(40)]
    key: Annotated[str, Text(80)]
    consent: bool = False


@router.post("/imports", response={201: ImportOut})
def import_rows(request: HttpRequest, body: ImportIn) -> Status[Any]:
    """STAR-01: the CRM's products and growth values, all rows or none (422 names each bad
    row's line and field)."""
    user = request_user(request, *CRM)
    result = services.stars_import(records=body.rows, by=user)
    return Status(201, result)


@router.get("/members")
def member_get(
    request: HttpRequest, phone: Annotated[str, Text(20)] = "", ref: Annotated[str, Text(40)] = ""
) -> dict[str, Any]:
    """The level from the record and this year's entitlements (phone masked, SEC-01)."""
    request_user(request, *STAFF)
    return member_view(services.member_find(phone=phone[:20], ref=ref[:40]))


def _use_out(use: EntitlementUse, created: bool) -> Status[Any]:
    out = {
        "id": use.id,
        "kind": use.kind,
        "free": use.free,
        "charged": not use.free,
        "year": use.year,
        "order_id": use.order_id,
        "member": member_view(use.member),
    }
    return Status(201 if created else 200, out)


@router.post("/entitlements", response={200: dict[str, Any], 201: dict[str, Any]})
def counter_use(request: HttpRequest, body: CounterUseIn) -> Status[Any]:
    """STAR-02 at the counter of one's hall: booked against the year's quota (free), or
    charged with consent; beyond the quota or below the level → 422 naming STAR-02."""
    user = request_user(request, *COUNTER)
    use, created = services.entitlement_use(
        kind=body.kind,
        channel=Channel.COUNTER,
        key=body.key,
        by=user,
        phone=body.phone,
        ref=body.ref,
        hall=body.hall,
        consent=body.consent,
    )
    return _use_out(use, created)


@orders_router.post("/{order_id}/entitlements", response={200: dict[str, Any], 201: dict[str, Any]})
def visit_use(request: HttpRequest, order_id: int, body: VisitUseIn) -> Status[Any]:
    """STAR-02 on a visit (the order's customer): the order carries the entitlement."""
    user = request_user(request, *FIELD)
    use, created = services.entitlement_use(
        kind=body.kind,
        channel=Channel.VISIT,
        key=body.key,
        by=user,
        order_id=order_id,
        consent=body.consent,
    )
    return _use_out(use, created)
