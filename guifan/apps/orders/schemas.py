"""API shapes for orders. Shape only: the rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from guifan.apps.customers.masking import mask_phone
from guifan.textinput import Day, Instant, Text

# Each bound is the column the value ends up in (free text: textinput.LONG_TEXT).


class CustomerIn(Schema):
    name: Annotated[str, Text(50)] = ""
    phone: Annotated[str, Text(20)] = ""
    tier: Annotated[str, Text(10)] = "normal"
    title: Annotated[str, Text(10)] = ""


class AddressIn(Schema):
    text: Annotated[str, Text(200)] = ""
    lat: float | None = None
    lon: float | None = None
    area: Annotated[str, Text(20)] = ""


class OrderIn(Schema):
    external_id: Annotated[str, Text(200)] | None = None
    customer: CustomerIn
    address: AddressIn
    service_type: Annotated[str, Text(20)]
    kind: Annotated[str, Text(10)]
    description: Annotated[str, Text()] = ""
    requested_time: Annotated[str, Text(100)] = ""
    remote_possible: bool = False
    # ORD-11: several product lines in one joint visit (default: service_type alone).
    products: list[Annotated[str, Text(20)]] | None = Field(default=None, max_length=8)
    # ORD-10: a move's old address, where the linked removal happens.
    old_address: AddressIn | None = None
    # The subscribed bandwidth (broadband): VIS-14's speed test is judged against it.
    plan_mbps: Annotated[int, Field(ge=1, le=100_000)] | None = None


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
    confirmed: dict[str, str] = Field(default_factory=dict)

    @staticmethod
    def resolve_confirmed(obj: Any) -> dict[str, str]:
        """APT-10's record, the at-home phone masked (SEC-01)."""
        confirmed = dict(getattr(obj, "confirmed", None) or {})
        if "at_home_contact_phone" in confirmed:
            confirmed["at_home_contact_phone"] = mask_phone(confirmed["at_home_contact_phone"])
        return confirmed


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
    products: list[str] = Field(default_factory=list)
    linked_to: int | None = None
    linked_order_ids: list[int] = Field(default_factory=list)


class OrderDetailOut(OrderOut):
    events: list[EventOut]
    appointments: list[AppointmentOut]
    contacts: list[ContactOut]


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    half_day: str


class AppointmentIn(Schema):
    date: Day | None = None
    half_day: Annotated[str, Text(2)] | None = None
    window_start: Instant | None = None
    window_end: Instant | None = None
    channel: Annotated[str, Text(10)] = "call"


class ConfirmIn(Schema):
    window_start: Instant | None = None
    window_end: Instant | None = None
    channel: Annotated[str, Text(10)] = "call"


class RescheduleIn(AppointmentIn):
    initiator: Annotated[str, Text(10)]
    reason_code: Annotated[str, Text(60)] = ""
    consent: bool = False


class BookingConfirmedIn(Schema):
    """APT-10: what the booking call confirmed; omitted fields were not confirmed."""

    at_home_contact_phone: Annotated[str, Text(20)] = ""
    address: Annotated[str, Text(200)] = ""
    wiring_environment: Annotated[str, Text(200)] = ""
    charges: Annotated[str, Text(200)] = ""


class ContactIn(Schema):
    channel: Annotated[str, Text(10)]
    purpose: Annotated[str, Text(20)]
    outcome: Annotated[str, Text(10)]
    body: Annotated[str, Text()] = ""
    appointment_id: int | None = None
    confirmed: BookingConfirmedIn | None = None


class TransitionIn(Schema):
    action: Annotated[str, Text(40)]
    reason: Annotated[str, Text(200)] = ""
    version: int | None = None


class AnalysisIn(Schema):
    analysis: dict[Annotated[str, Text(40)], Annotated[str, Text(200)]]


class RemoteIn(Schema):
    resolved: bool
    channel: Annotated[str, Text(40)] = "phone guidance"


class AssignIn(Schema):
    technician_id: int
    planned_arrival: Instant
    planned_departure: Instant | None = None
    version: int = Field(description="The order's version as read; a changed order is 409.")
    confirm: bool | None = Field(
        default=None,
        description=(
            "false: a double booking, a visit past the shift's end or an arrival outside "
            "DSP-02's margin is refused with 409 visit.needs_confirmation (warnings, each "
            "with its rule) and nothing is written; true: assign anyway. Omitted: no check."
        ),
    )


class EscalationIn(Schema):
    reason_code: Annotated[str, Text(40)]
    note: Annotated[str, Text()] = ""


class BringBackIn(Schema):
    device_configuration: Annotated[str, Text()] = ""
    data_backup_confirmed: bool | None = None
    exterior_condition: Annotated[str, Text()] = ""
    reason: Annotated[str, Text()] = ""
    # A drawn signature as a data URL.
    customer_signature: Annotated[str, Text(200_000)] = ""


class ResourceMissingIn(Schema):
    line: Annotated[str, Text(100)] = ""
    port_equipment: Annotated[str, Text(100)] = ""
    address: Annotated[str, Text(200)] = ""
