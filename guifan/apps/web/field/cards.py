"""What the phone pages show: route cards and checklist steps, computed once per request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from guifan.apps.accounts.models import User
from guifan.apps.compliance.services import scriptbook
from guifan.apps.fieldwork.checklist import fee_table, step_scriptbook
from guifan.apps.fieldwork.eta import eta_next
from guifan.apps.fieldwork.selectors import checklist_state, route_list
from guifan.apps.fieldwork.services.steps import missing_for_completion
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import REACHED, ContactPurpose
from guifan.apps.orders.lifecycle import OPEN_STATUSES
from guifan.apps.orders.models import Appointment, KitCheck, WorkOrder
from guifan.apps.orders.services.kit import kit_items, kit_label
from guifan.apps.web.events import event_reason
from guifan.apps.web.labels import ORDER_STATUS, SERVICE_TYPE, label
from guifan.apps.workforce.models import Technician
from guifan.clock import local
from guifan.norms.catalog import NormSet
from guifan.norms.evidence import Fee
from guifan.optimize.matrix import MatrixUnavailable

CALL_AHEAD_PURPOSES = (ContactPurpose.ARRIVAL_NOTICE, ContactPurpose.LATE_NOTICE)
# What the scripts' {service} says for each kind of order.
SERVICE_WORDS = {"install": "装机", "move": "移机", "repair": "维修", "care": "上门服务"}


def hhmm(at: dt.datetime | None) -> str:
    return f"{local(at):%H:%M}" if at else "—"


def customer_address(order: WorkOrder) -> str:
    """The customer's form of address (LNG-05): surname + title, as in 张先生."""
    customer = order.customer
    return scriptbook().address(surname=customer.name[:1], title=customer.title)


@dataclass
class RouteCard:
    """One visit of the day as the route shows it."""

    order: WorkOrder
    appointment: Appointment
    departure: str
    arrival: str
    window: str
    status_label: str
    service_label: str
    can_depart: bool
    can_arrive: bool
    on_site: bool
    can_call: bool
    can_call_ahead: bool
    call_ahead_due: bool
    called_ahead: bool
    late_script: tuple[str, ...]
    error: str = ""
    # DSP-06: the pre-departure checklist (key, label, ticked) and whether today's is whole.
    kit: tuple[tuple[str, str, bool], ...] = ()
    kit_done: bool = False
    # The live ETA of the next stop (ADR 0034) and, when it falls after the window, the
    # DSP-04 prompt naming the time the call is due by.
    eta: str = ""
    late_prompt: str = ""


def route_cards(
    *, user: User, now: dt.datetime, technician: Technician | None = None
) -> list[RouteCard]:
    """Today's visits in planned order, with what the technician may do next on each."""
    ns = norms_snapshot()
    notice = dt.timedelta(minutes=ns.minutes("APT-07", "notice_minutes"))
    appts = list(route_list(user=user, day=local(now).date()))
    called = set(
        Appointment.objects.filter(
            id__in=[a.id for a in appts],
            contacts__purpose__in=CALL_AHEAD_PURPOSES,
            contacts__outcome__in=REACHED,
        ).values_list("id", flat=True)
    )
    today = local(now).date()
    kits: dict[int, KitCheck] = {}
    for check in KitCheck.objects.filter(order_id__in=[a.order_id for a in appts]).order_by("at"):
        if local(check.at).date() == today:
            kits[check.order_id] = check  # the last of today wins
    cards = []
    for appt in appts:
        order, status = appt.order, appt.order.status
        open_trip = status in ("dispatched", "en_route")
        kit = kits.get(order.id)
        ticked = kit.items if kit else {}
        cards.append(
            RouteCard(
                order=order,
                appointment=appt,
                departure=hhmm(appt.planned_departure),
                arrival=hhmm(appt.planned_arrival),
                window=f"{hhmm(appt.window_start)}–{hhmm(appt.window_end)}",
                status_label=label(ORDER_STATUS, status),
                service_label=label(SERVICE_TYPE, order.service_type),
                can_depart=status == "dispatched",
                can_arrive=status == "en_route",
                on_site=status in ("on_site", "completed", "bring_back"),
                can_call=status in OPEN_STATUSES,
                can_call_ahead=open_trip,
                call_ahead_due=open_trip
                and appt.id not in called
                and appt.planned_arrival is not None
                and now >= appt.planned_arrival - notice,
                called_ahead=appt.id in called,
                late_script=scriptbook().render("running_late", name=customer_address(order)),
                kit=tuple((k, kit_label(k), bool(ticked.get(k))) for k in kit_items(order, ns=ns))
                if status == "dispatched"
                else (),
                kit_done=bool(kit and kit.complete),
            )
        )
    _eta_on(cards, tech=technician, now=now, ns=ns)
    return cards


def _eta_on(
    cards: list[RouteCard], *, tech: Technician | None, now: dt.datetime, ns: NormSet
) -> None:
    """The next stop's card shows its ETA; a late one, the call the customer is owed."""
    if not cards:
        return
    try:
        eta = eta_next(tech, now, ns) if tech is not None else None
    except MatrixUnavailable:
        return
    card = next((c for c in cards if eta and c.appointment.id == eta.appointment_id), None)
    if eta is None or card is None:
        return
    card.eta = _("Expected arrival: %(at)s") % {"at": hhmm(eta.at)}
    if eta.late:
        card.late_prompt = _(
            "Expected at %(eta)s, after the window: call the customer before %(due)s (DSP-04)"
        ) % {"eta": hhmm(eta.at), "due": hhmm(eta.call_by)}


@dataclass
class StepView:
    """A checklist step with its script lines and state."""

    norm_id: str
    title: str
    do: str
    mandatory: bool
    lines: tuple[str, ...]
    state: str
    reason: str
    at: str
    error: str = ""
    evidence: str = ""  # which evidence form the step shows (guifan.norms.evidence)
    shortfalls: tuple[str, ...] = ()
    blocks: bool = False


@dataclass
class ChecklistView:
    order: WorkOrder
    status_label: str
    steps: list[StepView]
    done_count: int
    photo_count: int
    signed: bool
    rating: Any
    missing: list[str]  # what completion lacks, in the page's language
    errors: dict[str, str] = field(default_factory=dict)
    fees: list[Fee] = field(default_factory=list)
    broadband: bool = False
    rows: range = range(3)
    door_repeat: int = 30
    door_wait: int = 3
    technician_name: str = ""

    @property
    def before_arrival(self) -> bool:
        """The page kept for offline use before the arrival: its forms show once the phone
        has queued the arrival (field.js)."""
        return self.order.status in ("dispatched", "en_route")

    @property
    def workable(self) -> bool:
        return self.order.status == "on_site" or self.before_arrival


def checklist_view(order: WorkOrder, *, errors: dict[str, str] | None = None) -> ChecklistView:
    """The visit page: each step with its norm, instruction and script (LNG-03, LNG-05)."""
    errors = errors or {}
    name = customer_address(order)
    service = SERVICE_WORDS.get(order.kind, "")
    book = step_scriptbook(scriptbook())
    steps = []
    for st in checklist_state(order):
        rec = st.record
        steps.append(
            StepView(
                norm_id=st.step.norm_id,
                title=st.step.title,
                do=st.step.do,
                mandatory=st.step.mandatory,
                lines=book.render(st.step.moment, name=name, service=service)
                if st.step.moment
                else (),
                state=rec.outcome if rec else "",
                reason=rec.reason if rec else "",
                at=hhmm(rec.at) if rec else "",
                error=errors.get(f"step-{st.step.norm_id}", ""),
                evidence=st.step.evidence,
                shortfalls=tuple(rec.shortfalls) if rec else (),
                blocks=bool(rec and rec.blocks),
            )
        )
    return ChecklistView(
        order=order,
        status_label=label(ORDER_STATUS, order.status),
        steps=steps,
        done_count=sum(1 for s in steps if s.state == "done"),
        photo_count=order.photos.count(),
        signed=hasattr(order, "signature"),
        rating=getattr(order, "rating", None),
        missing=[event_reason(m["message"], m) for m in missing_for_completion(order)]
        if order.status == "on_site"
        else [],
        errors=errors,
        fees=list(fee_table()[0].values()),
        broadband=order.service_type == "broadband",
        door_repeat=int(norms_snapshot().param("VIS-03", "repeat_seconds")),
        door_wait=int(norms_snapshot().param("VIS-03", "call_after_minutes")),
        technician_name=order.technician.name if order.technician else "",
    )
