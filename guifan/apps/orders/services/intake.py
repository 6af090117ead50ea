"""Idempotent intake of work orders from other systems (ORD-01, APT-02, ORD-08, QA-04)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record
from guifan.apps.customers.choices import Tier
from guifan.apps.customers.masking import phone_normalize
from guifan.apps.customers.models import Address, Customer
from guifan.apps.customers.star_records import star_record_find
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act, order_require
from guifan.apps.orders.choices import KINDS_BY_SERVICE, OrderKind, ServiceType
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.moves import removal_create
from guifan.apps.orders.services.records import created_audit, event_record, verdict_record
from guifan.apps.timers.services import timer_schedule
from guifan.apps.workforce.access import area_may_dispatch
from guifan.apps.workforce.models import ServiceArea
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, ValidationFailed
from guifan.norms import NormSet, Verdict, rules
from guifan.norms.reasons import reason
from guifan.norms.stars import field_tier_at_least, field_tier_for_star


@dataclass(frozen=True, slots=True)
class OrderIntake:
    """What another system sends us (the API body, already shape-checked)."""

    customer_name: str
    phone: str
    tier: str
    address: str
    lat: float | None
    lon: float | None
    area: str
    service_type: str
    kind: str
    description: str
    requested_time: str
    remote_possible: bool = False
    title: str = ""
    # ORD-11: the product lines of one joint visit (empty: the service type alone).
    products: tuple[str, ...] = ()
    # ORD-10: a move's old address; given, the move also creates the linked removal there.
    old_address: str = ""
    old_lat: float | None = None
    old_lon: float | None = None
    plan_mbps: int | None = None


# Fields added later hash only when sent, so a repeat of an older body keeps its hash.
LATER = {"products": (), "old_address": "", "old_lat": None, "old_lon": None, "plan_mbps": None}


def _asdict(obj: OrderIntake) -> dict[str, Any]:
    return {
        name: getattr(obj, name)
        for name in obj.__slots__
        if name not in LATER or getattr(obj, name) != LATER[name]
    }


REQUIRED = {
    "customer_name": "customer.name",
    "address": "address.text",
    "description": "description",
    "requested_time": "requested_time",
}


def _validate(data: OrderIntake, by: User | None) -> tuple[str, ServiceArea]:
    """ORD-01: the order is complete and plausible, or the intake is refused naming the field."""
    for attr, field in REQUIRED.items():
        if not str(getattr(data, attr) or "").strip():
            raise ValidationFailed(
                "order.incomplete", f"缺少必填信息：{field}", field=field, rule="ORD-01"
            )
    phone = phone_normalize(data.phone, field="customer.phone")
    if data.service_type not in ServiceType.values:
        raise ValidationFailed(
            "order.unknown_service_type",
            f"未知业务类型 {data.service_type!r}，可选：{', '.join(ServiceType.values)}",
            field="service_type",
        )
    if data.kind not in KINDS_BY_SERVICE[data.service_type]:
        raise ValidationFailed(
            "order.unknown_kind",
            f"业务 {data.service_type} 不受理类型 {data.kind!r}",
            field="kind",
        )
    if data.tier not in Tier.values:
        raise ValidationFailed(
            "order.unknown_tier", f"未知客户等级 {data.tier!r}", field="customer.tier"
        )
    area = ServiceArea.objects.filter(code=data.area).first()
    # An area the dispatcher does not run reads exactly like an unknown one (no leak).
    if area is None or not area_may_dispatch(by, area):
        raise ValidationFailed(
            "order.unknown_area", f"未知服务片区 {data.area!r}", field="address.area"
        )
    coordinates = [("address.lat", data.lat, -90, 90), ("address.lon", data.lon, -180, 180)]
    coordinates += [("old_address.lat", data.old_lat, -90, 90)]
    coordinates += [("old_address.lon", data.old_lon, -180, 180)]
    for name, value, lo, hi in coordinates:
        if value is not None and not lo <= value <= hi:
            raise ValidationFailed("order.bad_coordinate", f"坐标超出范围：{value}", field=name)
    _validate_products(data)
    if data.old_address.strip() and data.kind != OrderKind.MOVE:
        raise ValidationFailed(
            "order.old_address", "仅移机工单可填写原地址", field="old_address.text", rule="ORD-10"
        )
    return phone, area


def _validate_products(data: OrderIntake) -> None:
    """ORD-11: each product is a known service that takes the order's kind."""
    for product in data.products:
        if product not in ServiceType.values or data.kind not in KINDS_BY_SERVICE[product]:
            raise ValidationFailed(
                "order.unknown_product",
                f"产品 {product!r} 不受理类型 {data.kind!r}",
                field="products",
                rule="ORD-11",
            )


@refusals_remembered
def work_order_intake(
    *, data: OrderIntake, source: str, key: str, by: User | None
) -> tuple[WorkOrder, bool]:
    """Create the order for ``(source, key)`` once; a repeat returns the same order.

    A repeat with a different body is a conflict (409). Concurrent repeats race on the
    unique constraint; the loser reads the winner's row.
    """
    if not key or len(key) > 200:
        raise ValidationFailed(
            "order.idempotency_key",
            "需要 Idempotency-Key 请求头或 external_id（≤200 字符）",
            field="Idempotency-Key",
        )
    digest = hashlib.sha256(json.dumps(_asdict(data), sort_keys=True).encode()).hexdigest()
    existing = _existing(source, key, digest)
    if existing is not None:
        order_require(existing, by=by, act=Act.READ)
        return existing, False
    phone, area = _validate(data, by)
    try:
        return _create(
            data=data, phone=phone, area=area, source=source, key=key, digest=digest, by=by
        ), True
    except IntegrityError:
        existing = _existing(source, key, digest)
        if existing is None:
            raise
        return existing, False


def _existing(source: str, key: str, digest: str) -> WorkOrder | None:
    order = WorkOrder.objects.filter(source=source, intake_key=key).first()
    if order is not None and order.request_hash != digest:
        raise Conflict(
            "order.idempotency_conflict",
            f"幂等键 {key!r} 已用于另一份不同的工单内容",
            field="Idempotency-Key",
        )
    return order


@transaction.atomic
def _create(
    *,
    data: OrderIntake,
    phone: str,
    area: ServiceArea,
    source: str,
    key: str,
    digest: str,
    by: User | None,
) -> WorkOrder:
    now = clock_now()
    ns = norms_snapshot()
    tier, star = _star_tier(phone, data.tier, ns)
    customer, new_customer = Customer.objects.get_or_create(
        phone=phone,
        name=data.customer_name.strip(),
        defaults={"tier": data.tier, "title": data.title, "star_level": star or 0},
    )
    if star is not None and not new_customer and customer.star_level != star:
        before = {"star_level": customer.star_level}
        customer.star_level = star
        customer.save(update_fields=["star_level"])
        after = {"star_level": star}
        audit_record(
            actor=by, action="customer.star_level", obj=customer, before=before, after=after
        )
    address = Address.objects.create(
        customer=customer,
        text=data.address.strip(),
        lat=data.lat if data.lat is not None else area.lat,
        lon=data.lon if data.lon is not None else area.lon,
        area=area,
    )
    order = WorkOrder.objects.create(
        number=f"tmp-{uuid.uuid4().hex}",
        source=source,
        intake_key=key,
        request_hash=digest,
        customer=customer,
        address=address,
        area=area,
        service_type=data.service_type,
        kind=data.kind,
        description=data.description.strip(),
        requested_time=data.requested_time.strip(),
        tier=tier,
        remote_possible=data.remote_possible,
        plan_mbps=data.plan_mbps,
        received_at=now,
        products=_products(data),
    )
    order.number = f"WO{local(now):%Y%m%d}{order.id:07d}"
    if order.kind == OrderKind.REPAIR:
        order.due_at = rules.repair_deadline(received_at=now, ns=ns)
    order.save(update_fields=["number", "due_at"])
    detail: dict[str, Any] = {"source": source}
    if star is not None:
        detail |= {"star_level": star, "tier_sent": data.tier, "tier": tier}
    event_record(order, action="intake", at=now, by=by, to_status=order.status, detail=detail)
    verdict_record(order, Verdict.keep("ORD-01", reason("ord01.complete")), at=now, by=by)
    created: list[tuple[str, Model]] = [("customer.create", customer)] if new_customer else []
    created_audit([*created, ("address.create", address), ("order.intake", order)], by=by)
    _schedule_intake_timers(order, ns=ns)
    if order.kind == OrderKind.MOVE and data.old_address.strip():
        removal_create(
            order,
            old_address=data.old_address,
            old_lat=data.old_lat,
            old_lon=data.old_lon,
            by=by,
        )
    return order


def _star_tier(phone: str, tier: str, ns: NormSet) -> tuple[str, int | None]:
    """The tier the order gets: at least the field tier of the customer's star level (APT-02's
    ``star_to_field_tier``), with the level; the sent tier when the phone has no star record."""
    try:
        record = star_record_find(phone=phone)
    except ValidationFailed:
        return tier, None  # a phone two members share: the record cannot say who this is
    if record is None:
        return tier, None
    return field_tier_at_least(tier, field_tier_for_star(record.level, ns)), record.level


def _products(data: OrderIntake) -> list[str]:
    """The order's products, its service type first, each once."""
    return list(dict.fromkeys([data.service_type, *data.products]))


def _schedule_intake_timers(order: WorkOrder, *, ns: NormSet) -> None:
    deadline = rules.first_contact_deadline(tier=order.tier, received_at=order.received_at, ns=ns)
    timer_schedule(
        kind="apt02.first_contact",
        key=f"apt02:{order.id}",
        due_at=deadline,
        norm_id="APT-02",
        order_id=order.id,
    )
    if order.due_at is not None:
        timer_schedule(
            kind="qa04.warn",
            key=f"qa04warn:{order.id}",
            due_at=rules.escalation_warning(deadline=order.due_at, ns=ns),
            norm_id="QA-04",
            order_id=order.id,
        )
        timer_schedule(
            kind="ord08.deadline",
            key=f"ord08:{order.id}",
            due_at=order.due_at,
            norm_id="ORD-08",
            order_id=order.id,
        )
