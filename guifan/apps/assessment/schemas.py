"""Shapes of the assessment API (rules live in the services)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from guifan.textinput import Day, Text


class CertificateIn(Schema):
    badge_no: str = Field(max_length=20)
    work_type: str = Field(max_length=40)
    issued_on: Day
    valid_until: Day


class CertificateOut(Schema):
    id: int
    badge_no: str
    work_type: str
    issued_on: dt.date | None
    valid_until: dt.date


class TrainingIn(Schema):
    person: str = Field(max_length=60)
    course: str = Field(max_length=80)
    completed_on: Day


class TrainingOut(Schema):
    id: int
    person: str
    course: str
    completed_on: dt.date


class ActionIn(Schema):
    kind: str = Field(max_length=20)
    person: str = Field(max_length=60)
    norm_id: str = Field(max_length=10)
    finding: str = Field(max_length=300)
    due_on: Day | None = None


class ActionOut(Schema):
    id: int
    kind: str
    person: str
    norm_id: str
    finding: str
    due_on: dt.date
    status: str


class PartnerIn(Schema):
    code: Annotated[str, Text(20)]
    name: Annotated[str, Text(100)]
    badge_nos: list[Annotated[str, Text(20)]] = Field(max_length=500)


class PartnerOut(Schema):
    id: int
    code: str
    name: str
    terminated: bool


class SanctionIn(Schema):
    badge_no: str = Field(max_length=20)
    breach: str = Field(max_length=300)


class SanctionOut(Schema):
    id: int
    partner: str
    step: int
    measure: str
    at: dt.datetime


class CardOut(Schema):
    key: str
    label: str
    team: str
    checked: int
    kept: int
    rate: float | None
    satisfaction: float | None
    ratings: int
    complaints: int
    false_closures: int
    overdue_personal: int
    red_lines: int
    refusals: int


class ItemOut(Schema):
    norm_id: str
    title: str
    broken: int


class TeamMeetingOut(Schema):
    team: CardOut
    members: list[CardOut]
    items: list[ItemOut]


class MeetingOut(Schema):
    date: dt.date
    teams: list[TeamMeetingOut]
