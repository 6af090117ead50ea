"""The area's stock for dispatchers, and the bring-back receipt behind a signed link."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guifan.apps.accounts.models import Role
from guifan.apps.stock.access import stock_area_get
from guifan.apps.stock.models import BringBackReceipt
from guifan.apps.stock.receipt import receipt_id_from_token, receipt_pdf
from guifan.apps.stock.selectors import stock_area_view
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.workforce.access import areas_for
from guifan.errors import NotFound


@require_GET
@role_required(Role.DISPATCHER)
def index(request: HtmxHttpRequest) -> HttpResponse:
    """On hand, reserved, lent loaners, open requisitions and recent movements of one area."""
    areas = areas_for(request.user)
    code = request.GET.get("area") or (areas[0].code if areas else "")
    context: dict[str, object] = {"areas": areas, "chosen": code}
    if code:
        try:
            area = stock_area_get(by=request.user, code=code)
        except NotFound:
            raise Http404(code) from None
        context["stock"] = stock_area_view(area)
    return render(request, "web/stock/index.html", context)


@require_GET
def receipt(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The customer's receipt (PDF) by the signed link the technician gave; no login."""
    receipt_id = receipt_id_from_token(token)
    found = (
        BringBackReceipt.objects.select_related("order__customer", "loaner__item")
        .filter(id=receipt_id)
        .first()
        if receipt_id
        else None
    )
    if found is None:
        raise Http404("receipt")
    response = HttpResponse(receipt_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
