"""/api/v1/halls: complete a transaction (HAL-13), its receipt, out-of-authority business
(HAL-12). Parse, call, render; the rules are in ``hall.transactions``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.hall.access import hall_for
from guifan.apps.hall.capabilities import capable_halls, hall_can
from guifan.apps.hall.models import CounterTransaction, Referral
from guifan.apps.hall.receipt import transaction_receipt_pdf
from guifan.apps.hall.transactions import (
    business_known_check,
    referral_coordinate,
    referral_guide,
    signature_from_data_url,
    transaction_complete,
    transaction_for_receipt,
)
from guifan.clock import now as clock_now
from guifan.textinput import Text

router = Router(auth=TokenAuth(), tags=["hall"])
HALL = (Role.HALL_STAFF, Role.DUTY_MANAGER, Role.SYSTEM)
HallCode = Annotated[str, Text(20)]
Business = Annotated[str, Text(40)]


class AddonIn(Schema):
    name: Business
    consented: bool = False  # the customer agreed to the add-on (the 三强 ban, STF-06)


class TransactionCompleteIn(Schema):
    terms_shown: list[Annotated[str, Text(20)]] = Field(default_factory=list, max_length=20)
    signature: Annotated[str, Text(400_000)] = ""  # data:image/png;base64,… from the pad
    receipt: Annotated[str, Text(12)]  # paper | e_invoice
    amount_due: Decimal = Decimal(0)
    cash_received: Decimal | None = None
    cash_returned: Decimal | None = None
    cash_called_out: bool | None = None  # the clerk said both amounts aloud
    addons: list[AddonIn] = Field(default_factory=list, max_length=10)


class TransactionOut(Schema):
    business_id: int
    number: str
    terms_shown: list[str]
    signature_digest: str
    amount_due: Decimal
    cash_received: Decimal | None
    cash_returned: Decimal | None
    receipt: str
    completed_at: dt.datetime
    receipt_url: str


class ReferralIn(Schema):
    business: Business
    manager: Annotated[str, Text(150)] = ""  # the duty manager consulted (default: the hall's)


class HallOptionOut(Schema):
    code: str
    name: str
    address: str
    distance_km: float | None
    wait_minutes: int


class ReferralOut(Schema):
    id: int
    ticket_id: int
    business: str
    coordinated_at: dt.datetime | None
    coordinated_with: str | None
    guided_at: dt.datetime | None
    to_hall: HallOptionOut | None


class CapableOut(Schema):
    business: str
    here: bool
    halls: list[HallOptionOut]


def _tx_out(t: CounterTransaction, hall: str) -> dict[str, Any]:
    return {
        "business_id": t.business_id,
        "number": t.number,
        "terms_shown": t.terms_shown,
        "signature_digest": t.signature_digest,
        "amount_due": t.amount_due,
        "cash_received": t.cash_received,
        "cash_returned": t.cash_returned,
        "receipt": t.receipt,
        "completed_at": t.completed_at,
        "receipt_url": f"/api/v1/halls/{hall}/transactions/{t.business_id}/receipt.pdf",
    }


def _referral_out(r: Referral) -> dict[str, Any]:
    to = None
    if r.to_hall is not None:
        to = {
            "code": r.to_hall.code,
            "name": r.to_hall.name,
            "address": r.to_hall.address,
            "distance_km": r.distance_km,
            "wait_minutes": r.wait_minutes or 0,
        }
    return {
        "id": r.id,
        "ticket_id": r.ticket_id,
        "business": r.business,
        "coordinated_at": r.coordinated_at,
        "coordinated_with": r.coordinated_with.username if r.coordinated_with else None,
        "guided_at": r.guided_at,
        "to_hall": to,
    }


@router.post(
    "/{hall}/tickets/{ticket_id}/business/{business_id}/complete",
    response={201: TransactionOut},
)
def complete(
    request: HttpRequest,
    hall: HallCode,
    ticket_id: int,
    business_id: int,
    body: TransactionCompleteIn,
) -> Status[Any]:
    """HAL-13: refused (422 naming HAL-13) until the key terms were shown and the customer
    signed; cash not called out is recorded as broken."""
    user = request_user(request, *HALL)
    t = transaction_complete(
        ticket_id=ticket_id,
        hall_code=hall,
        business_id=business_id,
        terms_shown=body.terms_shown,
        signature_png=signature_from_data_url(body.signature),
        receipt=body.receipt,
        amount_due=body.amount_due,
        cash_received=body.cash_received,
        cash_returned=body.cash_returned,
        cash_called_out=body.cash_called_out,
        addons=[a.dict() for a in body.addons],
        by=user,
    )
    return Status(201, _tx_out(t, hall))


@router.get("/{hall}/transactions/{business_id}/receipt.pdf", response={200: None})
def receipt(request: HttpRequest, hall: HallCode, business_id: int) -> HttpResponse:
    """The receipt of a completed transaction (80 mm); an unfinished one is a 409."""
    user = request_user(request, *HALL)
    t = transaction_for_receipt(business_id=business_id, hall_code=hall, by=user)
    response = HttpResponse(transaction_receipt_pdf(t), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{t.number}.pdf"'
    return response


@router.get("/{hall}/capable-halls", response=CapableOut)
def capable(request: HttpRequest, hall: HallCode, business: Business = "") -> dict[str, Any]:
    """Whether this hall can handle ``business``; the halls that can, nearest first (HAL-12)."""
    user = request_user(request, *HALL)
    here = hall_for(by=user, code=hall)
    business = business_known_check(business)
    rows = capable_halls(here, business, clock_now())
    return {
        "business": business,
        "here": hall_can(here, business),
        "halls": [
            {
                "code": r.hall.code,
                "name": r.hall.name,
                "address": r.hall.address,
                "distance_km": r.distance_km,
                "wait_minutes": r.wait_minutes,
            }
            for r in rows
        ],
    }


@router.post("/{hall}/tickets/{ticket_id}/referrals/coordinate", response={201: ReferralOut})
def coordinate(
    request: HttpRequest, hall: HallCode, ticket_id: int, body: ReferralIn
) -> Status[Any]:
    """HAL-12's first step: the clerk consulted the duty manager about the business."""
    user = request_user(request, *HALL)
    r = referral_coordinate(
        ticket_id=ticket_id, hall_code=hall, business=body.business, manager=body.manager, by=user
    )
    return Status(201, _referral_out(r))


@router.post("/{hall}/tickets/{ticket_id}/referrals/guide", response={201: ReferralOut})
def guide(request: HttpRequest, hall: HallCode, ticket_id: int, body: ReferralIn) -> Status[Any]:
    """Guide the customer to the nearest hall that can (kept only after coordinating)."""
    user = request_user(request, *HALL)
    r = referral_guide(ticket_id=ticket_id, hall_code=hall, business=body.business, by=user)
    return Status(201, _referral_out(r))
