"""The one base fixture's city: two service areas and two halls, each role's person and token.

Everything is built through the product's services. Each place comes in two: ``own`` (A01 and
hall H1, where the dispatcher, the A01 technician, the hall staff and the duty manager of the
city work) and ``other`` (A02 and H2, someone else's). The actor rule of issue 12 says what
each role may touch on either side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import resolve

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.cases.hall import complaint_record
from guifan.apps.hall.greeting import customer_greet
from guifan.apps.hall.models import Counter, Hall, Region, RegionPost
from guifan.apps.hall.playbooks import playbook_start, playbooks
from guifan.apps.hall.posts import post_set
from guifan.apps.orders import services
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services import customer_link_make
from guifan.clock import FixedClock, at_local
from tests import factories as f

DAY = dt.date(2025, 6, 2)  # the Monday of the ``clock`` fixture
ROLES = (
    Role.ADMIN,
    Role.SYSTEM,
    Role.DISPATCHER,
    Role.TECHNICIAN,
    Role.HALL_STAFF,
    Role.DUTY_MANAGER,
    Role.QUALITY,
)
WORK_TYPES = ("broadband_repair", "broadband_install")


@dataclass(frozen=True)
class Side:
    """One area's and one hall's objects; ``own`` for the city's people, or ``other``."""

    area: str
    technician_id: int
    technician_user: User
    order_id: int  # a repair booked today at 14:00, assigned to this side's technician
    appointment_id: int
    hall: str
    counter_id: int  # counter 1: open, nobody at it being served
    closed_counter_id: int  # counter 2: closed
    ticket_id: int  # waiting, star level 7 claimed and not yet verified
    staff: User  # hall staff posted at counter 1
    spare_staff: User  # hall staff of the hall without a counter (takes over a counter)
    duty_manager: User
    complaint_id: int  # open
    playbook_run_id: int  # open
    link_token: str  # the customer's link to this side's appointment

    def order_version(self) -> int:
        return WorkOrder.objects.values_list("version", flat=True).get(id=self.order_id)


@dataclass(frozen=True)
class City:
    clock: FixedClock
    users: dict[str, User]  # role -> the person acting in the role (own side's people)
    tokens: dict[str, str]  # role -> raw API token of that person
    own: Side
    other: Side
    unassigned_order_id: int  # in A01, no technician yet


def _booked_repair(area: str, technician_id: int) -> tuple[int, int]:
    order = f.order(kind="repair", area=area, description="宽带无法上网")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫故障"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    appt = services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(DAY, "14:00")
    )
    services.visit_assign(
        order_id=order.id,
        technician_id=technician_id,
        planned_arrival=at_local(DAY, "13:52"),
        by=None,
    )
    return order.id, appt.id


def _technician(area: str) -> tuple[int, User]:
    user = User.objects.create_user(f"tech_{area.lower()}", role=Role.TECHNICIAN)
    tech = f.technician(work_types=WORK_TYPES, code=area)
    tech.user = user
    tech.save(update_fields=["user"])
    return tech.id, user


def _hall(code: str) -> tuple[Hall, Counter, Counter]:
    hall = Hall.objects.create(code=code, name=f"营业厅{code}")
    open_counter = Counter.objects.create(hall=hall, number=1, categories=["A", "B"], status="open")
    closed = Counter.objects.create(hall=hall, number=2, categories=["A"], status="closed")
    return hall, open_counter, closed


def _region(hall: Hall, manager: User) -> None:
    """Issue 15: each hall in its own region ``R<code>``, overseen by the hall's duty manager."""
    hall.region = Region.objects.create(code=f"R{hall.code}", name=f"片区{hall.code}")
    hall.save(update_fields=["region"])
    RegionPost.objects.create(user=manager, region=hall.region)


def _side(area: str, hall_code: str, clock: FixedClock) -> Side:
    f.area(area)
    technician_id, technician_user = _technician(area)
    order_id, appointment_id = _booked_repair(area, technician_id)
    hall, counter, closed = _hall(hall_code)
    low = hall_code.lower()
    staff = User.objects.create_user(f"staff_{low}", role=Role.HALL_STAFF)
    post_set(user=staff, hall_code=hall_code, counter_number=1)
    counter.staff = staff
    counter.save(update_fields=["staff"])
    spare = User.objects.create_user(f"spare_{low}", role=Role.HALL_STAFF)
    post_set(user=spare, hall_code=hall_code)
    manager = User.objects.create_user(f"manager_{low}", role=Role.DUTY_MANAGER)
    post_set(user=manager, hall_code=hall_code)
    _region(hall, manager)
    ticket = customer_greet(
        hall_code=hall_code, route="counter", category="A", star_claimed=7, by=None
    )
    assert ticket is not None
    complaint = complaint_record(
        hall=hall,
        customer_name="李四",
        customer_phone="13900001111",
        summary="等候太久",
        dispute=False,
        reply_by=clock.now() + dt.timedelta(days=1),
        by=staff,
    )
    run = playbook_start(hall=hall, kind=playbooks()[0].kind, by=manager)
    return Side(
        area=area,
        technician_id=technician_id,
        technician_user=technician_user,
        order_id=order_id,
        appointment_id=appointment_id,
        hall=hall_code,
        counter_id=counter.id,
        closed_counter_id=closed.id,
        ticket_id=ticket.id,
        staff=staff,
        spare_staff=spare,
        duty_manager=manager,
        complaint_id=complaint.id,
        playbook_run_id=run.id,
        link_token=resolve(customer_link_make(appointment_id=appointment_id)).kwargs["token"],
    )


def build_city(clock: FixedClock) -> City:
    """Build the city at the ``clock``'s now (Monday 10:00); needs database access."""
    from guifan.apps.workforce.models import DispatcherArea  # issue 12's dispatcher posting

    own = _side("A01", "H1", clock)
    other = _side("A02", "H2", clock)
    unassigned = f.order(kind="install", area="A01")
    dispatcher = User.objects.create_user("dispatcher_a01", role=Role.DISPATCHER)
    DispatcherArea.objects.create(user=dispatcher, area=f.area("A01"))
    users = {
        Role.ADMIN: User.objects.create_user("admin", role=Role.ADMIN, is_staff=True),
        Role.SYSTEM: User.objects.create_user("system", role=Role.SYSTEM),
        Role.DISPATCHER: dispatcher,
        Role.TECHNICIAN: own.technician_user,
        Role.HALL_STAFF: own.staff,
        Role.DUTY_MANAGER: own.duty_manager,
        Role.QUALITY: User.objects.create_user("quality", role=Role.QUALITY),
    }
    tokens = {role: api_token_create(user=u, name="city") for role, u in users.items()}
    return City(
        clock=clock,
        users=users,
        tokens=tokens,
        own=own,
        other=other,
        unassigned_order_id=unassigned.id,
    )
