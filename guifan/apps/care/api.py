"""/api/v1/care: recurring home-care agreements (seed 003). Parse, call, render."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.care import selectors, services
from guifan.apps.care.access import agreement_require
from guifan.textinput import Day, DbId, Limit, Text

router = Router(auth=TokenAuth(), tags=["care"])

OFFICE = (Role.DISPATCHER, Role.SYSTEM)


class AgreementIn(Schema):
    customer_name: Annotated[str, Text(50)]
    phone: Annotated[str, Text(20)]
    tier: Annotated[str, Text(10)] = "normal"
    title: Annotated[str, Text(10)] = ""
    address: Annotated[str, Text(200)]
    lat: float | None = None
    lon: float | None = None
    area: Annotated[str, Text(20)]
    description: Annotated[str, Text(200)]
    every_weeks: int
    weekday: int
    half_day: Annotated[str, Text(2)]
    start: Day
    end: Day | None = None


class NextVisitIn(Schema):
    date: Day
    half_day: Annotated[str, Text(2)]


class VisitOut(Schema):
    sequence: int
    date: str
    half_day: str
    order_id: int
    order_number: str
    order_status: str
    feedback_at: str | None


class AgreementOut(Schema):
    id: int
    area: str
    customer: str
    phone: str
    address: str
    description: str
    every_weeks: int
    weekday: int
    half_day: str
    start: str
    end: str | None
    active: bool
    next_date: str | None
    next_half_day: str
    next_sequence: int
    visits: list[VisitOut]


@router.post("/agreements", response={201: AgreementOut})
def agreement_create(request: HttpRequest, body: AgreementIn) -> Status[Any]:
    user = request_user(request, *OFFICE)
    agreement = services.care_agreement_create(data=services.AgreementIn(**body.dict()), by=user)
    return Status(201, selectors.agreement_summary(agreement_require(agreement.id, by=user)))


@router.get("/agreements", response=list[AgreementOut])
def agreement_list(
    request: HttpRequest, order_id: DbId | None = None, limit: Limit = 200
) -> list[dict[str, Any]]:
    user = request_user(request, *OFFICE)
    rows = services.care_agreement_list(by=user, order_id=order_id, limit=limit)
    return [selectors.agreement_summary(a) for a in rows]


@router.post("/agreements/{agreement_id}/next-visit", response=AgreementOut)
def next_visit_agree(request: HttpRequest, agreement_id: int, body: NextVisitIn) -> dict[str, Any]:
    user = request_user(request, *OFFICE)
    services.care_next_visit_agree(
        agreement_id=agreement_id, day=body.date, half_day=body.half_day, by=user
    )
    return selectors.agreement_summary(agreement_require(agreement_id, by=user))
