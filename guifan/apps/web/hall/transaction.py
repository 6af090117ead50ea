"""The counter's transaction panel (hall staff): record the business (SEC-03), complete a
transaction with the key terms, the customer's signature and the cash (HAL-13), print its
80 mm receipt, and guide a business this hall cannot handle to the nearest hall that can
(HAL-12). The rules are in ``hall.business`` and ``hall.transactions``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.business import ticket_business_record
from guifan.apps.hall.capabilities import businesses_known, hall_can
from guifan.apps.hall.models import (
    Counter,
    CounterTransaction,
    Referral,
    TicketBusiness,
    TicketStatus,
)
from guifan.apps.hall.posts import post_get
from guifan.apps.hall.receipt import E_INVOICE_GUIDANCE, transaction_receipt_pdf
from guifan.apps.hall.selectors import counter_current
from guifan.apps.hall.transactions import (
    key_terms,
    referral_coordinate,
    referral_guide,
    signature_from_data_url,
    transaction_complete,
    transaction_for_receipt,
)
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.errors import GuifanError, ValidationFailed

STAFF = (Role.HALL_STAFF,)
ACTIONS = frozenset({"record", "complete", "coordinate", "guide"})
PANEL = "web/hall/_counter_transaction.html"


def _my_counter(user: User) -> Counter | None:
    post = post_get(user)
    return post.counter if post is not None else None


def transaction_context(counter: Counter) -> dict[str, Any]:
    current = counter_current(counter)
    serving = current is not None and current.status == TicketStatus.SERVING
    records = list(TicketBusiness.objects.filter(ticket=current)) if current else []
    done = {t.business_id: t for t in CounterTransaction.objects.filter(business__in=records)}
    hall = counter.hall
    known = businesses_known()
    return {
        "ticket": current,
        "serving": serving,
        "state": f"{current.id}:{current.status}" if current else "none",
        "records": [{"record": r, "done": done.get(r.id)} for r in records],
        "handled": [b for b in known if hall_can(hall, b)],
        "elsewhere": [b for b in known if not hall_can(hall, b)],
        "terms": key_terms(),
        "referrals": list(
            Referral.objects.filter(ticket=current).select_related("to_hall", "coordinated_with")
        )
        if current
        else [],
        "e_invoice_guidance": E_INVOICE_GUIDANCE,
    }


def _int(data: QueryDict, name: str) -> int:
    try:
        return int(data.get(name, ""))
    except ValueError:
        raise ValidationFailed("form.number", _("Choose a value."), field=name) from None


def _money(data: QueryDict, name: str) -> Decimal | None:
    raw = data.get(name, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationFailed("form.money", _("Enter an amount in yuan."), field=name) from None
    if not value.is_finite():
        raise ValidationFailed("form.money", _("Enter an amount in yuan."), field=name)
    return value


def _act(action: str, c: Counter, data: QueryDict, user: User) -> str | None:
    hall = c.hall.code
    ticket = _int(data, "ticket")
    if action == "record":
        kind = data.get("kind", "")
        ticket_business_record(
            ticket_id=ticket,
            hall_code=hall,
            kind=kind,
            business=data.get("business", ""),
            id_checked=kind == "transaction" and data.get("id_checked") == "on",
            id_recorded=False,
            by=user,
        )
        return _("Recorded.")
    if action == "complete":
        done = transaction_complete(
            ticket_id=ticket,
            hall_code=hall,
            business_id=_int(data, "business_id"),
            terms_shown=data.getlist("terms"),
            signature_png=signature_from_data_url(data.get("signature", "")),
            receipt=data.get("receipt", ""),
            amount_due=_money(data, "amount_due") or Decimal(0),
            cash_received=_money(data, "cash_received"),
            cash_returned=_money(data, "cash_returned"),
            cash_called_out=data.get("cash_called_out") == "on",
            addons=[{"name": data["addon"], "consented": data.get("addon_consented") == "on"}]
            if data.get("addon", "").strip()
            else [],
            by=user,
        )
        return _("Transaction completed: receipt %(number)s.") % {"number": done.number}
    if action == "coordinate":
        referral_coordinate(
            ticket_id=ticket, hall_code=hall, business=data.get("business", ""), by=user
        )
        return _("Coordination with the duty manager recorded.")
    r = referral_guide(ticket_id=ticket, hall_code=hall, business=data.get("business", ""), by=user)
    if r.to_hall is None:
        return None
    return _("Guide the customer to %(hall)s.") % {"hall": r.to_hall.name}


@require_GET
@role_required(*STAFF)
def transaction_panel(request: HtmxHttpRequest) -> HttpResponse:
    mine = _my_counter(request.user)
    if mine is None:
        return HttpResponse(status=204)
    return render(request, PANEL, transaction_context(mine))


@require_POST
@role_required(*STAFF)
def transaction_action(request: HtmxHttpRequest, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404(action)
    mine = _my_counter(request.user)
    if mine is None:
        return render(request, "web/hall/no_post.html", {}, status=409)
    error, status, notice = None, 200, None
    try:
        notice = _act(action, mine, request.POST, request.user)
    except GuifanError as exc:
        error = {"action": action, "field": exc.field, "message": error_text(exc)}
        status = exc.http_status if exc.http_status in (404, 409) else 422
    ctx = {**transaction_context(mine), "error": error, "notice": notice}
    return render(request, PANEL, ctx, status=status)


@require_GET
@role_required(*STAFF)
def transaction_receipt(request: HtmxHttpRequest, business_id: int) -> HttpResponse:
    """The 80 mm receipt of a completed transaction of the clerk's hall, to print."""
    mine = _my_counter(request.user)
    if mine is None:
        raise Http404("no post")
    try:
        done = transaction_for_receipt(
            business_id=business_id, hall_code=mine.hall.code, by=request.user
        )
    except GuifanError as exc:
        if exc.http_status == 404:
            raise Http404(error_text(exc)) from None
        return HttpResponse(error_text(exc), status=exc.http_status, content_type="text/plain")
    response = HttpResponse(transaction_receipt_pdf(done), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{done.number}.pdf"'
    return response
