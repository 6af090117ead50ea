"""The stock API end to end: the three bad inputs answer 422 naming the field and the norm."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.stock.models import Requisition
from tests import factories as f
from tests.apps.stock.stages import MON, Stage, verdicts

pytestmark = pytest.mark.django_db


def desk() -> Client:
    _, raw = f.token(Role.DISPATCHER)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(
        f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json"
    )


def test_requisition_after_analysis_reserves_and_the_area_shows_it(stage: Stage) -> None:
    api, order = desk(), stage.analysed()
    r = post(api, f"/orders/{order.id}/requisitions", {"items": [{"code": "MB-PC", "qty": 1}]})
    assert r.status_code == 201, r.content
    assert (r.json()["stage"], r.json()["lines"][0]["name"]) == ("analysis", "电脑主板")
    area = api.get("/api/v1/stock/areas/A01").json()
    mb = next(row for row in area["levels"] if row["code"] == "MB-PC")
    assert (mb["on_hand"], mb["reserved"], mb["available"]) == (2, 1, 1)
    assert [q["order_id"] for q in area["requisitions"]] == [order.id]


def test_a_part_the_stock_does_not_have_is_422_naming_the_item_and_ord04(stage: Stage) -> None:
    api, order = desk(), stage.analysed()
    r = post(api, f"/orders/{order.id}/requisitions", {"items": [{"code": "MB-PC", "qty": 5}]})
    assert r.status_code == 422
    body = r.json()
    assert (body["code"], body["field"], body["rule"]) == ("stock.short", "items[0].code", "ORD-04")
    assert "MB-PC" in body["message"]
    assert not Requisition.objects.exists() and verdicts("ORD-04") == []


def test_a_part_missing_on_site_rebooks_and_the_part_is_collected(stage: Stage) -> None:
    api, order = desk(), stage.on_site()
    r = post(api, f"/visits/{order.id}/parts-missing", {"code": "HDD-1T", "qty": 1, "rebook": True})
    assert r.status_code == 201, r.content
    order.refresh_from_db()
    assert order.status == "awaiting_appointment"
    issued = post(api, f"/stock/requisitions/{r.json()['id']}/issue")
    assert (issued.status_code, issued.json()["status"]) == (200, "fulfilled")


def test_a_loaner_already_lent_out_is_422_naming_the_field_and_ord07(stage: Stage) -> None:
    api = desk()
    first, second = stage.taken(), stage.taken()
    tue = (MON + dt.timedelta(days=1)).isoformat()
    ok = post(api, f"/visits/{first.id}/loaner", {"return_by": tue, "loaner_serial": "LN-A01-03"})
    assert ok.status_code == 201, ok.content
    assert ok.json()["loaner_serial"] == "LN-A01-03"
    r = post(api, f"/visits/{second.id}/loaner", {"return_by": tue, "loaner_serial": "LN-A01-03"})
    assert r.status_code == 422
    assert (r.json()["field"], r.json()["rule"]) == ("loaner_serial", "ORD-07")


def test_a_return_date_in_the_past_is_422_naming_the_field_and_ord07(stage: Stage) -> None:
    api, order = desk(), stage.taken()
    r = post(api, f"/visits/{order.id}/loaner", {"return_by": "2025-06-01"})
    assert r.status_code == 422
    assert (r.json()["field"], r.json()["rule"]) == ("return_by", "ORD-07")


def test_the_receipt_pdf_by_api_and_by_its_signed_link(stage: Stage) -> None:
    api, order = desk(), stage.taken()
    tue = (MON + dt.timedelta(days=1)).isoformat()
    made = post(api, f"/visits/{order.id}/loaner", {"return_by": tue}).json()
    pdf = api.get(f"/api/v1/orders/{order.id}/receipt.pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")
    anonymous = Client().get(made["pdf_url"].replace("http://testserver", ""))
    assert anonymous.status_code == 200 and anonymous.content.startswith(b"%PDF")
    assert Client().get("/stock/receipt/forged:token/").status_code == 404


def test_the_device_returned_completes_the_order_and_keeps_ord07(stage: Stage) -> None:
    api, order = desk(), stage.taken()
    tue = (MON + dt.timedelta(days=1)).isoformat()
    post(api, f"/visits/{order.id}/loaner", {"return_by": tue, "loaner_serial": "LN-A01-01"})
    r = post(api, f"/orders/{order.id}/returned")
    assert (r.status_code, r.json()["status"]) == (200, "completed")
    assert verdicts("ORD-07") == [True]


def test_the_existing_bring_back_body_still_works(stage: Stage) -> None:
    """ORD-06's endpoint is unchanged: the receipt is a separate step."""
    from tests.apps.stock.stages import FORM

    api, order = desk(), stage.on_site()
    r = post(api, f"/orders/{order.id}/bring-back", FORM)
    assert r.status_code == 201, r.content


def test_a_technician_reads_the_own_areas_stock_and_only_the_own_orders_in_it(
    stage: Stage,
) -> None:
    from guifan.apps.stock.services import Need, requisition_raise

    user, raw = f.token(Role.TECHNICIAN)
    stage.tech.user = user
    stage.tech.save(update_fields=["user"])
    mine, theirs = stage.on_site(), stage.analysed()
    requisition_raise(order_id=mine.id, needs=[Need("PSU-12V", 1)], by=None)
    requisition_raise(order_id=theirs.id, needs=[Need("RAM-8G", 1)], by=None)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    area = api.get("/api/v1/stock/areas/A01").json()
    assert [q["order_id"] for q in area["requisitions"]] == [mine.id]
    assert any(row["reserved"] == 1 for row in area["levels"] if row["code"] == "RAM-8G")
    assert api.get("/api/v1/stock/areas/A02").status_code == 404
    assert post(api, "/stock/areas/A01/receive", {"code": "MB-PC", "qty": 1}).status_code == 403
