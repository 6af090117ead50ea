"""API shapes for orders. Shape only: the rules live in the services."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class CustomerIn(Schema):
    name: str = ""
    phone: str = ""
    tier: str = "normal"
    title: str = ""


class AddressIn(Schema):
    text: str = ""
    lat: float | None = None
    lon: float | None = None
    area: str = ""


class OrderIn(Schema):
    external_id: str | None = Field(None, max_length=200)
    customer: CustomerIn
    address: AddressIn
    service_type: str
    kind: str
    description: str = ""
    requested_time: str = ""
    remote_possible: bool = False


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor_label: str
    at: dt.datetime
    reason: str
    norm_id: str
    kept: bool | None


class AppointmentOut(Schema):
    id: int
    date: dt.date
    half_day: str
    window_start: dt.datetime
    window_end: dt.datetime
    status: str
    confirmed_at: dt.datetime | None
    technician_id: int | None
    planned_arrival: dt.datetime | None
    arrived_at: dt.datetime | None


class ContactOut(Schema):
    id: int
    channel: str
    purpose: str
    outcome: str
    at: dt.datetime
    by_label: str


class OrderOut(Schema):
    id: int
    number: str
    source: str
    external_id: str
    status: str
    service_type: str
    kind: str
    tier: str
    area: str
    customer_name: str
    phone_masked: str
    address: str
    description: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    technician_id: int | None
    version: int


class OrderDetailOut(OrderOut):
    events: list[EventOut]
    appointments: list[AppointmentOut]
    contacts: list[ContactOut]


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    half_day: str


class AppointmentIn(Schema):
    date: dt.date | None = None
    half_day: str | None = None
    window_start: dt.datetime | None = None
    window_end: dt.datetime | None = None
    channel: str = "call"


class ConfirmIn(Schema):
    window_start: dt.datetime | None = None
    window_end: dt.datetime | None = None
    channel: str = "call"


class RescheduleIn(AppointmentIn):
    initiator: str
    reason_code: str = ""
    consent: bool = False


class ContactIn(Schema):
    channel: str
    purpose: str
    outcome: str
    body: str = ""
    appointment_id: int | None = None


class TransitionIn(Schema):
    action: str
    reason: str = ""
    version: int | None = None


class AnalysisIn(Schema):
    analysis: dict[str, str]


class RemoteIn(Schema):
    resolved: bool
    channel: str = "phone guidance"


class AssignIn(Schema):
    technician_id: int
    planned_arrival: dt.datetime
    planned_departure: dt.datetime | None = None
    version: int = Field(description="The order's version as read; a changed order is 409.")


class EscalationIn(Schema):
    reason_code: str
    note: str = ""


class BringBackIn(Schema):
    device_configuration: str = ""
    data_backup_confirmed: bool | None = None
    exterior_condition: str = ""
    reason: str = ""
    customer_signature: str = ""


class ResourceMissingIn(Schema):
    line: str = ""
    port_equipment: str = ""
    address: str = ""


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None
    rule: str | None
