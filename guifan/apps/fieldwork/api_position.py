"""/api/v1/technicians/me/…: the technician's own shared position (issue 16, point 6; ADR
0034). "me" is the token's technician: nobody reports or switches sharing for another."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.fieldwork.services.position import Fix, position_share, position_sharing_set
from guifan.textinput import Instant

router = Router(auth=TokenAuth(), tags=["technicians"])


class PositionSharingIn(Schema):
    sharing: bool = Field(description="True: the technician consents to share the position.")


class PositionSharingOut(Schema):
    sharing: bool
    changed_at: dt.datetime


class PositionIn(Schema):
    lat: float = Field(description="WGS84 latitude in degrees.")
    lon: float = Field(description="WGS84 longitude in degrees.")
    accuracy: float = Field(description="The fix's accuracy radius in metres.")
    at: Instant = Field(description="When the phone took the fix.")


class NextStopEtaOut(Schema):
    order_id: int
    at: dt.datetime
    minutes: int
    late: bool
    call_by: dt.datetime


class PositionOut(Schema):
    at: dt.datetime
    eta: NextStopEtaOut | None


@router.post("/me/position-sharing", response=PositionSharingOut)
def sharing(request: HttpRequest, body: PositionSharingIn) -> Any:
    """Turn sharing on or off (off by default; off deletes the stored position)."""
    user = request_user(request, Role.TECHNICIAN)
    return position_sharing_set(sharing=body.sharing, by=user)


@router.post("/me/position", response=PositionOut)
def position(request: HttpRequest, body: PositionIn) -> dict[str, Any]:
    """A position from the phone during the shift: refused without consent, outside the
    shift or at an impossible speed (422 naming the field and APT-07)."""
    user = request_user(request, Role.TECHNICIAN)
    fix = Fix(lat=body.lat, lon=body.lon, accuracy=body.accuracy, at=body.at)
    report, eta = position_share(fix=fix, by=user)
    return {"at": report.at, "eta": eta}
