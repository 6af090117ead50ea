"""Shapes of the cases API's bodies and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from guifan.textinput import Instant, Text

Note = Annotated[str, Text(500)]
Short = Annotated[str, Text(50)]


class ComplaintIn(Schema):
    summary: Note
    steps: list[Annotated[str, Text(40)]] = Field(default_factory=list, max_length=20)
    reply_by: Instant | None = None
    customer_name: Short = ""


class AlertIn(Schema):
    kind: Annotated[str, Text(40)]
    note: Note = ""


class AlertOut(Schema):
    id: int
    order_id: int
    kind: str
    reported_at: dt.datetime
    verdict_kept: bool | None


class CaseContactIn(Schema):
    reached: bool
    satisfied: bool | None = None
    note: Note = ""
    via: Annotated[str, Text(20)] = "phone"
    who: Short = ""


class CaseConfirmIn(Schema):
    who: Short
    via: Annotated[str, Text(20)] = "phone"


class CloseIn(Schema):
    outcome: Note
    status: Annotated[str, Text(20)] = ""


class NoteIn(Schema):
    note: Note = ""


class StepsIn(Schema):
    steps: list[Annotated[str, Text(40)]] = Field(..., min_length=1, max_length=20)


class CaseEventOut(Schema):
    at: dt.datetime
    action: str
    note: str
    by: str


class CaseOut(Schema):
    id: int
    kind: str
    channel: str
    source: str
    status: str
    order_id: int | None
    hall: str | None
    owner: str | None
    opened_at: dt.datetime
    reply_by: dt.datetime | None
    next_contact_at: dt.datetime | None
    escalation: int
    missed_contacts: int
    steps: list[str]
    outcome: str
    closed_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    confirmed_by: str
    confirmed_via: str
    overdue: bool
    customer: str
    phone: str
    verdict_kept: bool | None
    events: list[CaseEventOut] = Field(default_factory=list)


class RevisitOut(Schema):
    order_id: int
    number: str
