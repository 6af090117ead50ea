"""The area's stock for dispatchers, and the bring-back receipt behind a signed link."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.stock.access import stock_area_get
from guifan.apps.stock.models import BringBackReceipt
from guifan.apps.stock.receipt import receipt_id_from_token, receipt_pdf
from guifan.apps.stock.selectors import stock_area_view
from guifan.apps.stock.services import requisition_issue
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.workforce.access import areas_for
from guifan.errors import GuifanError, NotFound


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
        context["stock"] = stock_area_view(area, by=request.user)
    return render(request, "web/stock/index.html", context)


@require_POST
@role_required(Role.DISPATCHER)
def issue(request: HtmxHttpRequest, requisition_id: int) -> HttpResponse:
    """The parts arrived and leave the store for the order (the same service as the API)."""
    try:
        req = requisition_issue(requisition_id=requisition_id, by=request.user)
    except NotFound:
        raise Http404(requisition_id) from None  # another area's requisition: not found
    except GuifanError as exc:
        messages.error(request, error_text(exc), extra_tags="error")
        return HttpResponseRedirect(reverse("stock:index"), status=303)
    messages.success(
        request,
        _("Requisition %(id)s issued for order %(order)s.")
        % {"id": req.id, "order": req.order.number},
        extra_tags="ok",
    )
    url = f"{reverse('stock:index')}?{urlencode({'area': req.area.code})}"
    return HttpResponseRedirect(url, status=303)


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
