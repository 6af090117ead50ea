"""The counter's transactions (HAL-13), the 三强 ban on add-ons (STF-06) and the business a
hall cannot handle (HAL-12). ADR 0026.

What the product can refuse, it refuses (HAL-13 is enforced): a transaction is not completed
until every key term of the catalog (``HAL-13.key_terms``) was shown and the customer signed
on the pad; the refusal is remembered against the clerk. What only a person can know is
measured: whether the cash amounts were called out (the clerk confirms it) breaks HAL-13 on
a completed transaction, an add-on without the customer's consent breaks STF-06 (forced
bundling), and a customer sent to another hall breaks HAL-12 unless the duty manager was
consulted first and the hall truly cannot handle the business.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from PIL import Image, ImageChops

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.access import hall_require
from guifan.apps.hall.capabilities import businesses_known, capable_halls, hall_can
from guifan.apps.hall.models import (
    CounterTransaction,
    HallPost,
    ReceiptKind,
    Referral,
    Ticket,
    TicketBusiness,
    TicketStatus,
)
from guifan.apps.hall.services import ticket_lock
from guifan.apps.norms.refusals import refusal_note
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.clock import now as clock_now
from guifan.errors import Conflict, GuifanError, NotFound, RuleViolation, ValidationFailed
from guifan.images import SIGNATURE_FORMATS, image_check
from guifan.norms import Verdict
from guifan.norms.reasons import reason

P = ParamSpec("P")
R = TypeVar("R")

DATA_URL_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_BYTES = 200 * 1024
SIGNATURE_MAX_PIXELS = 2_000_000
MONEY_MAX = Decimal("100000")
ADDONS_MAX = 10
SERVED = (TicketStatus.SERVING, TicketStatus.DONE)
UNSEEN = ("signature_png", "by")  # never copied into a refusal's attempted values


def _remembered(fn: Callable[P, R]) -> Callable[P, R]:
    """Like ``refusals_remembered``, counted in the hall and without the signature's bytes."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except GuifanError as exc:
            refusal_note(
                exc,
                by=kwargs.get("by"),  # type: ignore[arg-type]
                area_code=str(kwargs.get("hall_code", "")),
                attempted={k: v for k, v in kwargs.items() if k not in UNSEEN},
            )
            raise

    return wrapper


def key_terms() -> list[str]:
    return [str(t) for t in norms_snapshot().param("HAL-13", "key_terms")]


def signature_from_data_url(value: str) -> bytes:
    """The PNG bytes of the pad's ``data:image/png;base64,…`` URL; "" is no signature."""
    if not value:
        return b""
    if not value.startswith(DATA_URL_PREFIX):
        raise ValidationFailed("signature.type", "签名须为 PNG 图片", field="signature")
    try:
        return base64.b64decode(value[len(DATA_URL_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed("signature.invalid", "签名图片无效", field="signature") from None


def _signature_checked(png: bytes) -> bytes:
    """A decoded, size-limited PNG with ink on it; nothing drawn is no signature (HAL-13)."""
    if not png:
        raise RuleViolation(
            "transaction.unsigned", "客户尚未在签名板上签名", rule="HAL-13", field="signature"
        )
    image_check(
        png,
        max_bytes=SIGNATURE_MAX_BYTES,
        max_pixels=SIGNATURE_MAX_PIXELS,
        formats=SIGNATURE_FORMATS,
        field="signature",
    )
    with Image.open(io.BytesIO(png)) as image:
        rgba = image.convert("RGBA")
    # Ink: a dark pixel that is not transparent (the pad draws dark strokes on nothing).
    opaque = rgba.getchannel("A").point(lambda v: 255 if v > 0 else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v < 200 else 0)
    drawn = ImageChops.multiply(opaque, dark).getbbox() is not None
    if not drawn:
        raise RuleViolation(
            "transaction.unsigned", "签名板上没有签名", rule="HAL-13", field="signature"
        )
    return png


def _money(value: Decimal | None, field: str, label: str) -> Decimal | None:
    if value is None:
        return None
    if value < 0:
        raise ValidationFailed("transaction.money", f"{label}不能为负数", field=field)
    if value > MONEY_MAX or value != value.quantize(Decimal("0.01")):
        raise ValidationFailed(
            "transaction.money", f"{label}须在 0 至 {MONEY_MAX} 元之间，精确到分", field=field
        )
    return value


def _addons(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(raw) > ADDONS_MAX:
        raise ValidationFailed(
            "transaction.addons", f"加办业务最多 {ADDONS_MAX} 项", field="addons"
        )
    out = []
    for i, a in enumerate(raw):
        name = str(a.get("name", "")).strip()
        if not name or len(name) > 40:
            raise ValidationFailed(
                "transaction.addon_name", "请填写加办业务名称（≤40 字）", field=f"addons[{i}].name"
            )
        out.append({"name": name, "consented": bool(a.get("consented", False))})
    return out


def _business_locked(ticket: Ticket, business_id: int) -> TicketBusiness:
    record = (
        TicketBusiness.objects.select_for_update(of=("self",))
        .filter(id=business_id, ticket=ticket)
        .first()
    )
    if record is None:
        raise NotFound(
            "business.not_found", f"{ticket.code} 没有业务记录 {business_id}", field="business_id"
        )
    return record


@_remembered
@transaction.atomic
def transaction_complete(
    *,
    ticket_id: int,
    hall_code: str,
    business_id: int,
    terms_shown: list[str],
    signature_png: bytes,
    receipt: str,
    amount_due: Decimal = Decimal(0),
    cash_received: Decimal | None = None,
    cash_returned: Decimal | None = None,
    cash_called_out: bool | None = None,
    addons: list[dict[str, Any]] | None = None,
    by: User | None,
) -> CounterTransaction:
    """Complete a transaction recorded for the ticket (SEC-03 first): HAL-13 and STF-06."""
    if receipt not in ReceiptKind.values:
        raise ValidationFailed(
            "transaction.receipt",
            "请选择打印纸质回执（paper）或电子发票指引（e_invoice）",
            field="receipt",
        )
    due = _money(amount_due, "amount_due", "应收金额") or Decimal(0)
    received = _money(cash_received, "cash_received", "实收现金")
    returned = _money(cash_returned, "cash_returned", "找零")
    if received is None and returned is not None:
        raise ValidationFailed("transaction.cash", "未收现金不能找零", field="cash_returned")
    if received is not None:
        if received < due:
            raise ValidationFailed(
                "transaction.cash", f"实收 {received} 元少于应收 {due} 元", field="cash_received"
            )
        if returned is None:
            returned = received - due
        elif returned != received - due:
            raise ValidationFailed(
                "transaction.cash", f"找零应为 {received - due} 元", field="cash_returned"
            )
    extras = _addons(addons or [])
    known = key_terms()
    unknown = [t for t in terms_shown if t not in known]
    if unknown:
        raise ValidationFailed(
            "transaction.terms", f"未知条款：{'、'.join(unknown)}", field="terms_shown"
        )
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    record = _business_locked(ticket, business_id)
    if record.kind != "transaction":
        raise Conflict(
            "business.not_transaction",
            f"「{record.business}」是咨询，无需办理",
            field="business_id",
        )
    if CounterTransaction.objects.filter(business=record).exists():
        raise Conflict("transaction.done", f"「{record.business}」已办理完成", field="business_id")
    if ticket.status not in SERVED:
        raise Conflict("business.not_served", "该号尚未办理，不能完成业务", field="ticket_id")
    missing = [t for t in known if t not in terms_shown]
    if missing:
        raise RuleViolation(
            "transaction.terms",
            f"办理「{record.business}」前须向客户重点告知：{'、'.join(missing)}",
            rule="HAL-13",
            field="terms_shown",
        )
    png = _signature_checked(signature_png)
    now = clock_now()
    done = CounterTransaction.objects.create(
        business=record,
        terms_shown=[t for t in known if t in terms_shown],
        signature_png=png,
        signature_digest=hashlib.sha256(png).hexdigest(),
        amount_due=due,
        cash_received=received,
        cash_returned=returned,
        cash_called_out=cash_called_out if received is not None else None,
        receipt=receipt,
        addons=extras,
        completed_at=now,
        by=by,
    )
    person = by.username if by is not None else ""
    said = {"ticket": ticket.code, "business": record.business}
    if received is not None and norms_snapshot().param("HAL-13", "call_out_cash"):
        if cash_called_out:
            cash = {"received": str(received), "returned": str(returned)}
            verdict = Verdict.keep("HAL-13", reason("hal13.cash_called", **said, **cash))
        else:
            verdict = Verdict.broke("HAL-13", reason("hal13.cash_not_called", **said))
    else:
        verdict = Verdict.keep("HAL-13", reason("hal13.complete", **said))
    norm_check_record(verdict=verdict, at=now, area_code=ticket.hall.code, person=person)
    if extras:
        forced = [str(a["name"]) for a in extras if not a["consented"]]
        norm_check_record(
            verdict=Verdict.broke(
                "STF-06", reason("hall.stf06.forced_bundle", **said, addons=forced)
            )
            if forced
            else Verdict.keep("STF-06", reason("hall.stf06.consented", ticket=ticket.code)),
            at=now,
            area_code=ticket.hall.code,
            person=person,
        )
    return done


def transaction_for_receipt(
    *, business_id: int, hall_code: str, by: User | None
) -> CounterTransaction:
    """A completed transaction of ``hall_code`` for its receipt; an unfinished one is refused."""
    record = (
        TicketBusiness.objects.select_related("ticket__hall", "by")
        .filter(id=business_id, ticket__hall__code=hall_code)
        .first()
    )
    missing = NotFound("business.not_found", f"本厅没有业务记录 {business_id}", field="business_id")
    if record is None:
        raise missing
    hall_require(record.ticket.hall_id, by=by, error=missing)
    if record.kind != "transaction":
        raise Conflict(
            "receipt.inquiry", f"「{record.business}」是咨询，没有回执", field="business_id"
        )
    done = CounterTransaction.objects.filter(business=record).select_related("by").first()
    if done is None:
        raise Conflict(
            "receipt.unfinished",
            f"「{record.business}」尚未办理完成（未告知条款或未签名），不能打印回执",
            field="business_id",
        )
    return done


# ---- HAL-12: a business the hall cannot handle -------------------------------------------


def business_known_check(business: str) -> str:
    """The business, trimmed, if the capability table names it (HAL-12); else 422."""
    business = business.strip()
    if business not in businesses_known():
        raise ValidationFailed(
            "referral.business", f"业务「{business}」不在受理权限表中（HAL-12）", field="business"
        )
    return business


def _manager(hall_id: int, username: str) -> User | None:
    posts = HallPost.objects.filter(
        hall_id=hall_id, user__role=Role.DUTY_MANAGER, user__is_active=True
    )
    if username:
        post = posts.filter(user__username=username).select_related("user").first()
        if post is None:
            raise ValidationFailed(
                "referral.manager", f"{username} 不是本厅的值班经理", field="manager"
            )
        return post.user
    post = posts.select_related("user").order_by("id").first()
    return post.user if post is not None else None


def _served_ticket(ticket_id: int, hall_code: str, by: User | None) -> Ticket:
    ticket = ticket_lock(ticket_id, hall_code=hall_code, by=by)
    if ticket.status not in SERVED:
        raise Conflict("business.not_served", "该号尚未办理", field="ticket_id")
    return ticket


@transaction.atomic
def referral_coordinate(
    *, ticket_id: int, hall_code: str, business: str, manager: str = "", by: User | None
) -> Referral:
    """The clerk consulted the duty manager (or above) about a business (HAL-12's first step)."""
    business = business_known_check(business)
    ticket = _served_ticket(ticket_id, hall_code, by)
    row, _ = Referral.objects.select_for_update().get_or_create(
        ticket=ticket, business=business, defaults={"by": by}
    )
    if row.guided_at is not None:
        raise Conflict("referral.guided", f"「{business}」已引导客户去他厅", field="business")
    if row.coordinated_at is None:
        row.coordinated_at = clock_now()
        row.coordinated_with = _manager(ticket.hall_id, manager.strip())
        row.save(update_fields=["coordinated_at", "coordinated_with"])
    return row


@transaction.atomic
def referral_guide(*, ticket_id: int, hall_code: str, business: str, by: User | None) -> Referral:
    """Guide the customer to the nearest hall that can handle the business, with its address
    and its wait now. Kept when coordinated first and this hall cannot; broken otherwise."""
    business = business_known_check(business)
    ticket = _served_ticket(ticket_id, hall_code, by)
    now = clock_now()
    options = capable_halls(ticket.hall, business, now)
    here = hall_can(ticket.hall, business)
    if not here and not options:
        raise Conflict(
            "referral.nowhere",
            f"没有营业厅登记可办理「{business}」，请上报值班经理",
            field="business",
        )
    row, _ = Referral.objects.select_for_update().get_or_create(
        ticket=ticket, business=business, defaults={"by": by}
    )
    if row.guided_at is not None:
        raise Conflict("referral.guided", f"「{business}」已引导客户去他厅", field="business")
    best = options[0] if options else None
    row.guided_at = now
    row.to_hall = best.hall if best else None
    row.distance_km = best.distance_km if best else None
    row.wait_minutes = best.wait_minutes if best else None
    row.by = row.by or by
    row.save()
    said = {"ticket": ticket.code, "business": business}
    if here:
        verdict = Verdict.broke("HAL-12", reason("hal12.could_serve_here", **said))
    elif row.coordinated_at is None:
        verdict = Verdict.broke("HAL-12", reason("hal12.not_coordinated", **said))
    else:
        assert best is not None
        guided = {"to_hall": best.hall.name, "wait": best.wait_minutes}
        verdict = Verdict.keep("HAL-12", reason("hal12.guided", **said, **guided))
    person = by.username if by is not None else ""
    norm_check_record(verdict=verdict, at=now, area_code=ticket.hall.code, person=person)
    return row
