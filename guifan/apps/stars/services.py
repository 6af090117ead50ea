"""Star levels from the CRM's data (STAR-01) and entitlements booked against quotas (STAR-02).

Levels are never typed in: the CRM sends products and monthly growth values (``stars_import``,
checked whole first: a bad row rejects the file), and ``star_recompute`` derives the level,
now and on the first of every month (``stars.recompute`` timer). Each change of level is a
``LevelChange``, an audit entry and a STAR-01 verdict; a CRM level that contradicts the rule
(an excluded customer rated, a wrong threshold) is a STAR-01 breach by the CRM.

An entitlement is booked in one transaction under the member's row lock against the year's
balance (a database check keeps ``used <= quota``); beyond the quota or below the level it is
refused (422 naming STAR-02) unless the customer consents to pay. ``stars.year_open`` opens
every member's balances on 1 January.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.audit.services import audit_record, audit_records
from guifan.apps.customers.models import Customer
from guifan.apps.hall.access import hall_for
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norm_check_record, norm_checks_by_person, norms_snapshot
from guifan.apps.orders.access import Act, order_require
from guifan.apps.orders.models import WorkOrder
from guifan.apps.stars.models import (
    Channel,
    Entitlement,
    EntitlementBalance,
    EntitlementUse,
    GrowthMonth,
    LevelChange,
    StarMember,
)
from guifan.apps.stars.rows import RowError, StarRow, rows_check
from guifan.apps.timers.services import timer_schedule
from guifan.clock import ZONE, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import Reason, reason
from guifan.norms.stars import StarFacts, StarLevel, entitlement_quota, star_level

RECOMPUTE_TIMER = "stars.recompute"
YEAR_OPEN_TIMER = "stars.year_open"
PRODUCT_FIELDS = ("mobile", "fixed", "broadband", "itv", "enterprise_broadband")


class ImportRejected(ValidationFailed):
    """The CRM file has bad rows; nothing of it was written."""

    def __init__(self, errors: list[RowError]) -> None:
        first = errors[0]
        super().__init__(
            "stars.bad_rows",
            f"{len(errors)} 处错误，未导入任何数据；{first}",
            field=f"line {first.line}: {first.field}",
            rule="STAR-01",
        )
        self.errors = errors
        self.extra = {"errors": [e.as_dict() for e in errors[:200]]}


def _month_start(at: dt.datetime) -> dt.date:
    return local(at).date().replace(day=1)


def _months_back(month: dt.date, n: int) -> dt.date:
    total = month.year * 12 + month.month - 1 - n
    return dt.date(total // 12, total % 12 + 1, 1)


def stars_import(
    *, records: Iterable[Mapping[str, Any]], by: User | None, first_line: int = 1
) -> dict[str, int]:
    """Take the CRM's rows (all or nothing), then recompute the members they touched."""
    rows, errors = rows_check(records, first_line=first_line)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ValidationFailed("stars.empty", "文件中没有数据行", field="rows", rule="STAR-01")
    return _import(rows, by=by)


@transaction.atomic
def _import(rows: list[StarRow], *, by: User | None) -> dict[str, int]:
    now = clock_now()
    latest: dict[str, StarRow] = {}
    for row in rows:
        if row.ref not in latest or row.month >= latest[row.ref].month:
            latest[row.ref] = row
    members = {m.ref: m for m in StarMember.objects.select_for_update().filter(ref__in=latest)}
    new: list[StarMember] = []
    for ref, row in latest.items():
        m = members.get(ref) or StarMember(ref=ref)
        m.name, m.phone, m.cert_type = row.name, row.phone, row.cert_type
        for kind in PRODUCT_FIELDS:
            setattr(m, kind, row.products.get(kind, 0))
        if row.crm_level is not None:
            m.crm_level = row.crm_level
        if m.pk is None:
            new.append(m)
        members[ref] = m
    # A file is a province's members: one statement for the new, one for the known.
    old = [m for m in members.values() if m.pk is not None]
    StarMember.objects.bulk_update(
        old, ["name", "phone", "cert_type", *PRODUCT_FIELDS, "crm_level"], batch_size=500
    )
    StarMember.objects.bulk_create(new, batch_size=500)
    # One statement for the file's months (a repeat month takes the new value).
    GrowthMonth.objects.bulk_create(
        [GrowthMonth(member=members[r.ref], month=r.month, value=r.growth) for r in rows],
        update_conflicts=True,
        unique_fields=["member", "month"],
        update_fields=["value"],
    )
    changed = _recompute(list(members.values()), at=now, by=by, judge_crm=True)
    stars_timers_arm(now)
    return {"members": len(members), "months": len(rows), "changed": changed}


def star_recompute(*, at: dt.datetime | None = None, by: User | None = None) -> int:
    """Every member's level as of ``at``; returns how many changed."""
    when = at or clock_now()
    with transaction.atomic():
        members = list(StarMember.objects.select_for_update().order_by("id"))
        return _recompute(members, at=when, by=by, judge_crm=False)


def _recompute(
    members: list[StarMember], *, at: dt.datetime, by: User | None, judge_crm: bool
) -> int:
    ns = norms_snapshot()
    window = int(ns.param("STAR-01", "window_months"))
    end = _month_start(at)
    start = _months_back(end, window - 1)
    growth: dict[int, list[tuple[dt.date, int]]] = {m.id: [] for m in members}
    for mid, month, value in GrowthMonth.objects.filter(
        member__in=members, month__gte=start, month__lte=end
    ).values_list("member_id", "month", "value"):
        growth[mid].append((month, value))
    assessed = set(
        LevelChange.objects.filter(member__in=members).values_list("member_id", flat=True)
    )
    changed = 0
    verdicts: list[tuple[Verdict, str]] = []
    records: list[LevelChange] = []
    audited: list[tuple[str, StarMember, dict[str, Any], dict[str, Any]]] = []
    by_level: dict[int, list[str]] = {}
    for m in members:
        facts = StarFacts(
            products={"mobile": m.mobile, "fixed": m.fixed, "broadband": m.broadband, "itv": m.itv},
            enterprise_broadband=m.enterprise_broadband,
            enterprise_certificate=m.cert_type == "enterprise",
            growth=[v for _, v in sorted(growth[m.id])],
        )
        result = star_level(facts, ns)
        old = m.level
        m.level, m.growth, m.excluded, m.computed_at = (
            result.level,
            result.growth,
            result.excluded,
            at,
        )
        if judge_crm and m.crm_level is not None:
            verdicts.append((_crm_verdict(m, result), "crm"))
        if result.level == old and m.id in assessed:
            continue
        changed += result.level != old
        why = result.excluded or f"近 {window} 个月定级成长值 {result.growth}"
        records.append(
            LevelChange(
                member=m, at=at, old=old, new=result.level, growth=result.growth, reason=why
            )
        )
        after = {"level": result.level, "excluded": result.excluded}
        audited.append(("stars.level", m, {"level": old}, after))
        by_level.setdefault(result.level, []).append(m.phone)
        verdicts.append((Verdict.keep("STAR-01", _rated(m.ref, result, window)), ""))
    # A province's file is 10^5 members: a statement per kind of row, not per member.
    StarMember.objects.bulk_update(
        members, ["level", "growth", "excluded", "computed_at"], batch_size=500
    )
    LevelChange.objects.bulk_create(records, batch_size=500)
    audit_records(actor=by, changes=audited)
    # A phone shared by two members takes the higher level (the last update wins).
    for level, phones in sorted(by_level.items()):
        for chunk in _chunks(phones, 500):
            Customer.objects.filter(phone__in=chunk).update(star_level=level)
    norm_checks_by_person(verdicts, at=at)
    return changed


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _excluded_code(prefix: str, result: StarLevel) -> str:
    """The reason code for a customer left out of the rating (see ``StarLevel.exclusion``)."""
    return f"{prefix}_over_cap" if "star_product" in result.exclusion else f"{prefix}_excluded"


def _rated(ref: str, result: StarLevel, window: int) -> Reason:
    said = {"ref": ref, "level": result.level}
    if result.excluded:
        return reason(_excluded_code("star01.rated", result), **said, **result.exclusion)
    return reason("star01.rated", **said, window=window, growth=result.growth)


def _crm_verdict(m: StarMember, result: StarLevel) -> Verdict:
    """The CRM's own level against the rule: a contradiction is the CRM breaking STAR-01."""
    if m.crm_level == m.level:
        return Verdict.keep(
            "STAR-01", reason("star01.crm_agrees", ref=m.ref, crm_level=m.crm_level)
        )
    said = {"ref": m.ref, "crm_level": m.crm_level, "level": m.level}
    if m.excluded:
        code = _excluded_code("star01.crm_differs", result)
        return Verdict.broke("STAR-01", reason(code, **said, **result.exclusion))
    return Verdict.broke("STAR-01", reason("star01.crm_differs", **said, growth=m.growth))


def stars_timers_arm(at: dt.datetime) -> None:
    """The next monthly recompute (1st, 02:00) and the next year's opening (1 January)."""
    month = _months_back(_month_start(at), -1)
    due = dt.datetime.combine(month, dt.time(2, 0), tzinfo=ZONE)
    timer_schedule(
        kind=RECOMPUTE_TIMER, key=f"stars:recompute:{month:%Y-%m}", due_at=due, norm_id="STAR-01"
    )
    year = local(at).year + 1
    opens = dt.datetime(year, 1, 1, 0, 5, tzinfo=ZONE)
    timer_schedule(
        kind=YEAR_OPEN_TIMER,
        key=f"stars:year:{year}",
        due_at=opens,
        norm_id="STAR-02",
        payload={"year": year},
    )


def entitlements_year_open(*, year: int, at: dt.datetime) -> int:
    """Open every entitled member's balances for ``year`` (the yearly reset)."""
    ns = norms_snapshot()
    opened = 0
    with transaction.atomic():
        for m in StarMember.objects.filter(level__gte=1).order_by("id"):
            for kind in Entitlement.values:
                quota = entitlement_quota(m.level, kind, ns)
                if quota is None:
                    continue
                _, created = EntitlementBalance.objects.get_or_create(
                    member=m, year=year, kind=kind, defaults={"quota": quota}
                )
                opened += created
    return opened


def member_find(*, phone: str = "", ref: str = "") -> StarMember:
    """The member by the CRM's key or by phone (a phone shared by two members is ambiguous)."""
    if not (phone.strip() or ref.strip()):
        raise ValidationFailed("stars.who", "须提供电话或客户编号", field="phone")
    missing = NotFound("stars.not_found", "没有该客户的星级档案", field="phone" if phone else "ref")
    if ref:
        m = StarMember.objects.filter(ref=ref).first()
        if m is None:
            raise missing
        return m
    digits = phone.replace("-", "").strip()
    found = list(StarMember.objects.filter(phone=digits)[:2]) if digits else []
    if not found:
        raise missing
    if len(found) > 1:
        raise ValidationFailed("stars.ambiguous", "该号码对应多个客户，请用客户编号", field="phone")
    return found[0]


def _digest(values: Mapping[str, Any]) -> str:
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@refusals_remembered
def entitlement_use(
    *,
    kind: str,
    channel: str,
    key: str,
    by: User,
    phone: str = "",
    ref: str = "",
    hall: str = "",
    order_id: int | None = None,
    consent: bool = False,
) -> tuple[EntitlementUse, bool]:
    """Book one use of ``kind`` (free within the year's quota, else charged with consent).
    Returns the use and whether it was new (a repeated ``key`` returns the first answer)."""
    if kind not in Entitlement.values:
        raise ValidationFailed("stars.kind", f"未知权益 {kind!r}", field="kind", rule="STAR-02")
    if channel not in Channel.values:
        raise ValidationFailed("stars.channel", f"未知渠道 {channel!r}", field="channel")
    if not key or len(key) > 80:
        raise ValidationFailed("stars.key", "需要幂等键（≤80 字符）", field="key")
    digest = _digest(
        {
            "kind": kind,
            "channel": channel,
            "phone": phone,
            "ref": ref,
            "hall": hall,
            "order_id": order_id,
            "consent": consent,
        }
    )
    return _use(
        kind=kind,
        channel=channel,
        key=key,
        digest=digest,
        by=by,
        phone=phone,
        ref=ref,
        hall=hall,
        order_id=order_id,
        consent=consent,
    )


@transaction.atomic
def _use(
    *,
    kind: str,
    channel: str,
    key: str,
    digest: str,
    by: User,
    phone: str,
    ref: str,
    hall: str,
    order_id: int | None,
    consent: bool,
) -> tuple[EntitlementUse, bool]:
    order = _where(channel=channel, hall=hall, order_id=order_id, by=by)
    if order is not None and not (phone or ref):
        phone = order.customer.phone
    try:
        member = member_find(phone=phone, ref=ref)
    except NotFound:
        # No star record: a 0-star customer, whom no star entitlement covers.
        raise RuleViolation(
            "stars.no_record", "该客户没有星级档案，不享有星级权益", rule="STAR-02", field="ref"
        ) from None
    member = StarMember.objects.select_for_update().get(id=member.id)
    repeat = EntitlementUse.objects.filter(key=key).first()
    if repeat is not None:
        if repeat.digest != digest:
            raise Conflict("stars.key_reused", "幂等键已用于另一次办理", field="key")
        return repeat, False
    now = clock_now()
    year = local(now).year
    label = Entitlement(kind).label
    quota = entitlement_quota(member.level, kind, norms_snapshot())
    free = False
    if quota is not None:
        balance, _ = EntitlementBalance.objects.get_or_create(
            member=member, year=year, kind=kind, defaults={"quota": quota}
        )
        free = balance.used < balance.quota
        if free:
            balance.used += 1
            balance.save(update_fields=["used"])
    if not free and not consent:
        why = (
            f"{member.level} 星客户不享有{label}权益"
            if quota is None
            else f"{label}本年度免费 {quota} 次已用完"
        )
        raise RuleViolation(
            "stars.quota", f"{why}，客户同意付费后方可办理", rule="STAR-02", field="kind"
        )
    use = EntitlementUse.objects.create(
        member=member,
        kind=kind,
        year=year,
        at=now,
        free=free,
        consent=consent and not free,
        channel=channel,
        order=order,
        by=by,
        key=key,
        digest=digest,
    )
    text = reason("star02.free" if free else "star02.paid", ref=member.ref, entitlement_kind=kind)
    person = getattr(getattr(by, "technician", None), "badge_no", "") or by.username
    area = order.area.code if order is not None else hall
    norm_check_record(
        verdict=Verdict.keep("STAR-02", text),
        at=now,
        order_id=order.id if order else None,
        area_code=area,
        person=person,
    )
    audit_record(
        actor=by,
        action="stars.entitlement",
        obj=use,
        before={},
        after={"kind": kind, "free": free, "year": year},
    )
    return use, True


def _where(*, channel: str, hall: str, order_id: int | None, by: User) -> WorkOrder | None:
    """The counter's hall or the visit's order, under the actor rule (404 when not yours)."""
    if channel == Channel.COUNTER:
        if not hall:
            raise ValidationFailed("stars.hall", "柜台办理须注明营业厅", field="hall")
        hall_for(by=by, code=hall)
        return None
    if order_id is None:
        raise ValidationFailed("stars.order", "上门办理须注明工单", field="order_id")
    order = WorkOrder.objects.select_related("area", "customer").filter(id=order_id).first()
    if order is None:
        raise NotFound("order.not_found", "工单不存在", field="order_id")
    act = Act.FIELD if by.role == Role.TECHNICIAN else Act.OFFICE
    return order_require(order, by=by, act=act)
