"""Test data built through the product's own services where state is composite."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.hall.models import Hall, HallPost
from guifan.apps.orders.services import OrderIntake, work_order_intake
from guifan.apps.workforce.models import (
    Certification,
    DispatcherArea,
    ServiceArea,
    Technician,
)

_seq = itertools.count(1)


def area(code: str = "A01") -> ServiceArea:
    obj, _ = ServiceArea.objects.get_or_create(
        code=code, defaults={"name": f"片区{code}", "lat": 30.65, "lon": 104.06}
    )
    return obj


def user(
    role: str = Role.DISPATCHER,
    username: str | None = None,
    *,
    areas: tuple[str, ...] = ("A01",),
    hall: str = "H1",
) -> User:
    """A user of ``role``: a dispatcher runs ``areas`` (created when missing); hall staff and
    duty managers are posted to ``hall`` when that hall exists already."""
    u = User.objects.create_user(username or f"{role}{next(_seq)}", role=role)
    if role == Role.DISPATCHER:
        for code in areas:
            DispatcherArea.objects.get_or_create(user=u, area=area(code))
    if role in (Role.HALL_STAFF, Role.DUTY_MANAGER):
        found = Hall.objects.filter(code=hall).first()
        if found is not None:
            HallPost.objects.get_or_create(user=u, defaults={"hall": found})
    return u


def token(
    role: str = Role.DISPATCHER, *, areas: tuple[str, ...] = ("A01",), hall: str = "H1"
) -> tuple[User, str]:
    u = user(role, areas=areas, hall=hall)
    return u, api_token_create(user=u, name="test")


def technician(
    *, work_types: tuple[str, ...] = ("broadband_install",), code: str = "A01"
) -> Technician:
    n = next(_seq)
    tech = Technician.objects.create(
        name=f"技师{n}",
        badge_no=f"T{n:04d}",
        phone="13800000000",
        area=area(code),
        home_lat=30.6,
        home_lon=104.0,
    )
    for wt in work_types:
        Certification.objects.create(technician=tech, work_type=wt, valid_until=dt.date(2030, 1, 1))
    return tech


def order_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": f"ext-{next(_seq)}",
        "customer": {"name": "张三", "phone": "13912345678", "tier": "gold", "title": "先生"},
        "address": {"text": "成都市锦江区春熙路1号", "lat": 30.65, "lon": 104.08, "area": "A01"},
        "service_type": "broadband",
        "kind": "install",
        "description": "新装 300M 宽带",
        "requested_time": "下周工作日上午",
    }
    body.update(over)
    return body


def intake(**over: Any) -> OrderIntake:
    values: dict[str, Any] = {
        "customer_name": "张三",
        "phone": "13912345678",
        "tier": "gold",
        "address": "成都市锦江区春熙路1号",
        "lat": 30.65,
        "lon": 104.08,
        "area": "A01",
        "service_type": "broadband",
        "kind": "install",
        "description": "新装宽带",
        "requested_time": "周三上午",
    }
    values.update(over)
    return OrderIntake(**values)


def order(**over: Any):  # type: ignore[no-untyped-def]
    area(str(over.get("area", "A01")))
    o, _ = work_order_intake(data=intake(**over), source="test", key=f"k{next(_seq)}", by=None)
    return o


def kit_ready(order_id: int) -> None:
    """DSP-06: the order's pre-departure checklist, all ticked today (depart needs it)."""
    from guifan.apps.orders.models import WorkOrder
    from guifan.apps.orders.services.kit import kit_check_record, kit_items

    items = dict.fromkeys(kit_items(WorkOrder.objects.get(id=order_id)), True)
    kit_check_record(order_id=order_id, items=items, expected_version=None, by=None)
