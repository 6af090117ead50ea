"""Recurring home care (seed 003, 居家養老上門服務流程): agreements, generated visits, feedback.

The seed's cycle: sign a service agreement (「簽定服務協議」), confirm each visit by phone,
serve, then 「服務跟進。電話反饋并約定下次服務時間」. Here an agreement's schedule (every N
weeks on a weekday and half-day) sets the next visit; a durable timer generates its work
order through the orders' intake a fixed lead time before the date (the desk then contacts
and books it like any order); the day after the visit a feedback call falls due, and the call
agrees the next visit's date, which re-arms the next timer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record, audit_records, audit_snapshot
from guifan.apps.care import schedule
from guifan.apps.care.access import agreement_q, agreement_require
from guifan.apps.care.choices import Weekday
from guifan.apps.care.models import CareVisit, ServiceAgreement
from guifan.apps.customers.choices import Tier
from guifan.apps.customers.masking import phone_normalize
from guifan.apps.customers.models import Address, Customer
from guifan.apps.orders.choices import REACHED, ContactPurpose, HalfDay, OrderKind, ServiceType
from guifan.apps.orders.models import Contact
from guifan.apps.orders.services import OrderIntake, work_order_intake
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.apps.workforce.access import area_get_for
from guifan.clock import at_local, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, ValidationFailed

GENERATE = "care.generate"
FEEDBACK = "care.feedback_due"
SOURCE = "care"


@dataclass(frozen=True, slots=True)
class AgreementIn:
    """A new agreement, as the desk enters it (the API body, already shape-checked)."""

    customer_name: str
    phone: str
    address: str
    area: str
    description: str
    every_weeks: int
    weekday: int
    half_day: str
    start: dt.date
    tier: str = Tier.NORMAL
    title: str = ""
    lat: float | None = None
    lon: float | None = None
    end: dt.date | None = None


def _validate(data: AgreementIn, today: dt.date) -> None:
    for name in ("customer_name", "address", "description"):
        if not str(getattr(data, name) or "").strip():
            raise ValidationFailed("care.incomplete", f"缺少必填信息：{name}", field=name)
    if not 1 <= data.every_weeks <= 52:
        raise ValidationFailed("care.every_weeks", "间隔须为 1–52 周", field="every_weeks")
    if data.weekday not in Weekday.values:
        raise ValidationFailed("care.weekday", "星期须为 0（周一）–6（周日）", field="weekday")
    if data.half_day not in HalfDay.values:
        raise ValidationFailed("care.half_day", "时段须为 am 或 pm", field="half_day")
    if data.tier not in Tier.values:
        raise ValidationFailed("care.tier", f"未知客户等级 {data.tier!r}", field="tier")
    if data.start < today:
        raise ValidationFailed("care.start_past", "开始日期不能早于今天", field="start")
    if data.end is not None and data.end < data.start:
        raise ValidationFailed("care.end_before_start", "结束日期不能早于开始日期", field="end")


@transaction.atomic
def care_agreement_create(*, data: AgreementIn, by: User | None) -> ServiceAgreement:
    """Sign an agreement in an area ``by`` dispatches and arm the first visit's timer."""
    now = clock_now()
    area = area_get_for(by=by, code=data.area, field="area")
    _validate(data, local(now).date())
    phone = phone_normalize(data.phone, field="phone")
    customer, new_customer = Customer.objects.get_or_create(
        phone=phone,
        name=data.customer_name.strip(),
        defaults={"tier": data.tier, "title": data.title},
    )
    address = Address.objects.create(
        customer=customer,
        text=data.address.strip(),
        lat=data.lat if data.lat is not None else area.lat,
        lon=data.lon if data.lon is not None else area.lon,
        area=area,
    )
    first = schedule.first_on_or_after(data.start, data.weekday)
    agreement = ServiceAgreement.objects.create(
        customer=customer,
        address=address,
        area=area,
        service_type=ServiceType.HOME_CARE,
        description=data.description.strip(),
        every_weeks=data.every_weeks,
        weekday=data.weekday,
        half_day=data.half_day,
        start=data.start,
        end=data.end,
        next_date=first if data.end is None or first <= data.end else None,
        next_half_day=data.half_day,
        created_at=now,
        created_by=by,
    )
    created = [("customer.create", customer)] if new_customer else []
    records = [*created, ("address.create", address), ("care.agreement", agreement)]
    audit_records(
        actor=by, changes=[(action, obj, {}, audit_snapshot(obj)) for action, obj in records]
    )
    _arm_generation(agreement)
    return agreement


def care_agreement_list(
    *, by: User | None, order_id: int | None = None, limit: int = 200
) -> list[ServiceAgreement]:
    """The agreements ``by`` may see (their areas), newest first, with their visits."""
    qs = ServiceAgreement.objects.filter(agreement_q(by))
    if order_id is not None:
        qs = qs.filter(visits__order_id=order_id)
    qs = qs.select_related("area", "customer", "address").prefetch_related("visits__order")
    return list(qs.order_by("-id")[: max(1, min(limit, 1000))])


def _generation_key(agreement: ServiceAgreement) -> str:
    return f"care:gen:{agreement.id}:{agreement.next_sequence}"


def _arm_generation(agreement: ServiceAgreement) -> None:
    """Arm the timer that generates the next visit's order, a lead time before its date."""
    if not agreement.active or agreement.next_date is None:
        return
    day = agreement.next_date - dt.timedelta(days=schedule.LEAD_DAYS)
    timer_schedule(
        kind=GENERATE,
        key=_generation_key(agreement),
        due_at=at_local(day, schedule.GENERATE_AT),
        payload={"agreement_id": agreement.id, "sequence": agreement.next_sequence},
    )


@transaction.atomic
def care_next_visit_agree(
    *, agreement_id: int, day: dt.date, half_day: str, by: User | None
) -> ServiceAgreement:
    """Record the next visit agreed on the feedback call and move its timer to match."""
    now = clock_now()
    agreement = agreement_require(agreement_id, by=by, lock=True)
    if not agreement.active:
        raise Conflict("care.inactive", "协议已终止，不能约定下次上门", field="agreement_id")
    if half_day not in HalfDay.values:
        raise ValidationFailed("care.half_day", "时段须为 am 或 pm", field="half_day")
    if day <= local(now).date():
        raise ValidationFailed("care.date_past", "下次上门日期须晚于今天", field="date")
    if agreement.end is not None and day > agreement.end:
        raise ValidationFailed("care.date_after_end", "下次上门日期晚于协议结束日期", field="date")
    last = agreement.visits.order_by("-sequence").select_related("order").first()
    if last is not None and day <= last.date:
        raise ValidationFailed(
            "care.date_before_last", "下次上门日期须晚于上次上门日期", field="date"
        )
    before = audit_snapshot(agreement)
    agreement.next_date, agreement.next_half_day = day, half_day
    agreement.save(update_fields=["next_date", "next_half_day"])
    audit_record(
        actor=by,
        action="care.next_visit",
        obj=agreement,
        before=before,
        after=audit_snapshot(agreement),
    )
    if last is not None and last.feedback_at is None:
        called = (
            Contact.objects.filter(
                order=last.order, purpose=ContactPurpose.CALLBACK, outcome__in=REACHED
            )
            .order_by("at")
            .first()
        )
        if called is not None:
            last.feedback_at = called.at
            last.save(update_fields=["feedback_at"])
    # A cancelled key re-arms with the new due time (timer_schedule), so this moves it.
    timer_cancel(key=_generation_key(agreement))
    _arm_generation(agreement)
    return agreement


def care_visit_generate(*, agreement_id: int, sequence: int) -> CareVisit | None:
    """Generate the ``sequence``-th visit's order once (the generation timer's effect).

    Idempotent: a repeat, or a sequence that is not the agreement's next, changes nothing;
    two racing callers meet at the (agreement, sequence) constraint and the intake key.
    """
    with transaction.atomic():
        agreement = agreement_require(agreement_id, by=None, lock=True)
        existing = CareVisit.objects.filter(agreement=agreement, sequence=sequence).first()
        if existing is not None or sequence != agreement.next_sequence:
            return existing
        if not agreement.active or agreement.next_date is None:
            return None
        try:
            with transaction.atomic():
                visit = _generate(agreement, sequence)
        except IntegrityError:
            return CareVisit.objects.filter(agreement=agreement, sequence=sequence).first()
        _advance(agreement, visit)
        return visit


def _generate(agreement: ServiceAgreement, sequence: int) -> CareVisit:
    assert agreement.next_date is not None
    day, half = agreement.next_date, agreement.next_half_day
    customer = agreement.customer
    data = OrderIntake(
        customer_name=customer.name,
        phone=customer.phone,
        tier=customer.tier,
        title=customer.title,
        address=agreement.address.text,
        lat=agreement.address.lat,
        lon=agreement.address.lon,
        area=agreement.area.code,
        service_type=ServiceType.HOME_CARE,
        kind=OrderKind.CARE,
        description=f"{agreement.description}（关怀协议 {agreement.id} 第 {sequence} 次）",
        requested_time=f"{day:%Y-%m-%d} {HalfDay(half).label}（定期上门约定）",
    )
    order, _ = work_order_intake(
        data=data, source=SOURCE, key=f"agreement:{agreement.id}:{sequence}", by=None
    )
    visit = CareVisit.objects.create(
        agreement=agreement,
        sequence=sequence,
        date=day,
        half_day=half,
        order=order,
        generated_at=clock_now(),
    )
    _arm_feedback(visit, attempt=1)
    return visit


def _advance(agreement: ServiceAgreement, visit: CareVisit) -> None:
    """After a generation: the schedule's next date by default, and its timer armed."""
    nxt = schedule.next_after(
        visit.date, every_weeks=agreement.every_weeks, weekday=agreement.weekday
    )
    agreement.next_sequence = visit.sequence + 1
    agreement.next_date = nxt if agreement.end is None or nxt <= agreement.end else None
    agreement.next_half_day = agreement.half_day
    agreement.save(update_fields=["next_sequence", "next_date", "next_half_day"])
    _arm_generation(agreement)


# How many days the feedback check waits for a visit that is not completed yet.
FEEDBACK_RECHECKS = 14


def _arm_feedback(visit: CareVisit, *, attempt: int) -> None:
    day = visit.date + dt.timedelta(days=schedule.FEEDBACK_AFTER_DAYS + attempt - 1)
    timer_schedule(
        kind=FEEDBACK,
        key=f"care:fb:{visit.id}:{attempt}",
        due_at=at_local(day, schedule.FEEDBACK_AT),
        order_id=visit.order_id,
        payload={"visit_id": visit.id, "attempt": attempt},
    )


def care_feedback_rearm(visit: CareVisit, *, attempt: int) -> bool:
    """Check again tomorrow for a visit not completed yet (up to FEEDBACK_RECHECKS days)."""
    if attempt >= FEEDBACK_RECHECKS:
        return False
    _arm_feedback(visit, attempt=attempt + 1)
    return True
