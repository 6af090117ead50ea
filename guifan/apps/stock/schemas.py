"""Shapes of the stock API's bodies and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from guifan.textinput import Day, Text

Code = Annotated[str, Text(40)]


class NeedIn(Schema):
    code: Code
    qty: int = Field(1, ge=1, le=1000)


class RequisitionIn(Schema):
    items: list[NeedIn] = Field(..., min_length=1, max_length=50)
    version: int | None = None


class PartMissingIn(Schema):
    code: Code
    qty: int = Field(1, ge=1, le=1000)
    # The customer cannot wait: back to awaiting an appointment, the revisit is counted.
    rebook: bool = True
    version: int | None = None


class ReceiveIn(Schema):
    code: Code
    qty: int = Field(..., ge=1, le=100_000)
    note: Annotated[str, Text(200)] = ""


class ReturnIn(Schema):
    code: Code
    qty: int = Field(1, ge=1, le=1000)


class LoanerIn(Schema):
    return_by: Day | None = None
    loaner_serial: Annotated[str, Text(40)] | None = None
    version: int | None = None


class LineOut(Schema):
    code: str
    name: str
    qty: int


class RequisitionOut(Schema):
    id: int
    order_id: int
    stage: str
    status: str
    revisit: bool
    raised_at: dt.datetime
    lines: list[LineOut]


class ReceiptOut(Schema):
    id: int
    number: str
    order_id: int
    loaner_serial: str | None
    return_by: dt.date
    issued_at: dt.datetime
    pdf_url: str  # a signed link that expires: for the customer, no login needed


class MovementOut(Schema):
    id: int
    kind: str
    code: str
    qty: int
    on_hand_after: int
    reserved_after: int
    at: dt.datetime


class LevelOut(Schema):
    code: str
    name: str
    kind: str
    unit: str
    on_hand: int
    reserved: int
    available: int


class LoanerOut(Schema):
    serial: str
    name: str
    state: str
    order_id: int | None
    return_by: dt.date | None


class OpenRequisitionOut(Schema):
    id: int
    order_id: int
    stage: str
    revisit: bool
    raised_at: dt.datetime
    lines: list[LineOut]


class AreaStockOut(Schema):
    area: str
    levels: list[LevelOut]
    loaners: list[LoanerOut]
    requisitions: list[OpenRequisitionOut]
