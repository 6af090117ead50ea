"""The stock API: area stock, requisitions (ORD-04), loaners and receipts (ORD-07).

Three routers, mounted in ``guifan.api``: ``orders_router`` under /orders (requisitions at
analysis, the device returned, the receipt PDF), ``visits_router`` under /visits (on-site
missing part, loaner and receipt at bring-back) and ``router`` under /stock.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.orders import selectors as order_selectors
from guifan.apps.stock import schemas as s
from guifan.apps.stock import selectors, services
from guifan.apps.stock.access import stock_area_get
from guifan.apps.stock.models import BringBackReceipt, Requisition
from guifan.apps.stock.receipt import receipt_pdf, receipt_token
from guifan.errors import Conflict

FIELD = (Role.DISPATCHER, Role.SYSTEM, Role.TECHNICIAN)
OFFICE = (Role.DISPATCHER, Role.SYSTEM)

router = Router(auth=TokenAuth(), tags=["stock"])
orders_router = Router(auth=TokenAuth(), tags=["stock"])
visits_router = Router(auth=TokenAuth(), tags=["stock"])


def _requisition(req: Requisition) -> dict[str, Any]:
    return {
        "id": req.id,
        "order_id": req.order_id,
        "stage": req.stage,
        "status": req.status,
        "revisit": req.revisit,
        "raised_at": req.raised_at,
        "lines": [
            {"code": line.item.code, "name": line.item.name, "qty": line.qty}
            for line in req.lines.select_related("item")
        ],
    }


def _receipt(request: HttpRequest, receipt: BringBackReceipt) -> dict[str, Any]:
    path = reverse("stock:receipt", kwargs={"token": receipt_token(receipt.id)})
    return {
        "id": receipt.id,
        "number": receipt.number,
        "order_id": receipt.order_id,
        "loaner_serial": receipt.loaner.serial if receipt.loaner else None,
        "return_by": receipt.return_by,
        "issued_at": receipt.issued_at,
        "pdf_url": request.build_absolute_uri(path),
    }


@router.get("/areas/{area}", response=s.AreaStockOut)
def area_stock(request: HttpRequest, area: str) -> dict[str, Any]:
    """On hand, reserved and available per item, the loaner units and open requisitions."""
    user = request_user(request, *FIELD)
    return selectors.stock_area_view(stock_area_get(by=user, code=area), by=user)


@router.post("/areas/{area}/receive", response={201: s.MovementOut})
def area_receive(request: HttpRequest, area: str, body: s.ReceiveIn) -> Status[Any]:
    user = request_user(request, *OFFICE)
    m = services.stock_receive(
        area_code=area, code=body.code, qty=body.qty, note=body.note, by=user
    )
    return Status(
        201,
        {
            "id": m.id,
            "kind": m.kind,
            "code": body.code,
            "qty": m.qty,
            "on_hand_after": m.on_hand_after,
            "reserved_after": m.reserved_after,
            "at": m.at,
        },
    )


@router.post("/requisitions/{requisition_id}/issue", response=s.RequisitionOut)
def requisition_issue(request: HttpRequest, requisition_id: int) -> dict[str, Any]:
    """The part arrived / is collected: the reserved parts leave the store (fulfilled)."""
    user = request_user(request, *FIELD)
    return _requisition(services.requisition_issue(requisition_id=requisition_id, by=user))


@router.post("/requisitions/{requisition_id}/release", response=s.RequisitionOut)
def requisition_release(request: HttpRequest, requisition_id: int) -> dict[str, Any]:
    user = request_user(request, *FIELD)
    return _requisition(services.requisition_release(requisition_id=requisition_id, by=user))


@router.post("/requisitions/{requisition_id}/return", response=s.RequisitionOut)
def requisition_return(
    request: HttpRequest, requisition_id: int, body: s.ReturnIn
) -> dict[str, Any]:
    user = request_user(request, *FIELD)
    req = services.requisition_return(
        requisition_id=requisition_id, code=body.code, qty=body.qty, by=user
    )
    return _requisition(req)


@orders_router.post("/{order_id}/requisitions", response={201: s.RequisitionOut})
def requisition_create(request: HttpRequest, order_id: int, body: s.RequisitionIn) -> Status[Any]:
    """ORD-04: reserve the analysis's spare parts from the area's stock (422 when short)."""
    user = request_user(request, *FIELD)
    req = services.requisition_raise(
        order_id=order_id,
        needs=[services.Need(n.code, n.qty) for n in body.items],
        by=user,
        expected_version=body.version,
    )
    return Status(201, _requisition(req))


@orders_router.post("/{order_id}/returned", response=dict)
def device_returned(request: HttpRequest, order_id: int) -> dict[str, Any]:
    """ORD-07: the repaired device is back; the loaner returns to stock; the order completes."""
    user = request_user(request, *FIELD)
    order = services.bring_back_return(order_id=order_id, by=user)
    return {"id": order.id, "status": order.status, "version": order.version}


@orders_router.get("/{order_id}/receipt.pdf", response={200: None})
def receipt_download(request: HttpRequest, order_id: int) -> HttpResponse:
    """The bring-back receipt (PDF) for whoever may read the order."""
    user = request_user(request, *FIELD, Role.QUALITY)
    order = order_selectors.order_get(order_id=order_id, by=user, detail=False)
    receipt = (
        BringBackReceipt.objects.select_related("order__customer", "loaner__item")
        .filter(order=order)
        .first()
    )
    if receipt is None:
        raise Conflict(
            "receipt.none", f"工单 {order.number} 尚未开具带回维修收条", field="order_id"
        )
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt.number}.pdf"'
    return response


@visits_router.post("/{order_id}/parts-missing", response={201: s.RequisitionOut})
def parts_missing(request: HttpRequest, order_id: int, body: s.PartMissingIn) -> Status[Any]:
    """ORD-04 on site: requisition the missing part at once; ``rebook`` counts a revisit."""
    user = request_user(request, *FIELD)
    req = services.visit_part_missing(
        order_id=order_id,
        code=body.code,
        qty=body.qty,
        rebook=body.rebook,
        by=user,
        expected_version=body.version,
    )
    return Status(201, _requisition(req))


@visits_router.post("/{order_id}/loaner", response={201: s.ReceiptOut})
def loaner_receipt(request: HttpRequest, order_id: int, body: s.LoanerIn) -> Status[Any]:
    """ORD-07 after the bring-back (ORD-06): receipt, optional loaner, agreed return date."""
    user = request_user(request, *FIELD)
    receipt = services.bring_back_receipt_issue(
        order_id=order_id,
        return_by=body.return_by,
        loaner_serial=body.loaner_serial,
        by=user,
        expected_version=body.version,
    )
    return Status(201, _receipt(request, receipt))
