"""A dispatcher opens the area's stock: levels, a short part, a lent loaner, the ledger."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.stock.services import (
    Need,
    bring_back_receipt_issue,
    requisition_issue,
    requisition_raise,
    visit_part_missing,
)
from tests.apps.stock.stages import MON, stage_build
from tests.browser.conftest import assert_accessible, login, person, shot


def test_a_dispatcher_reads_the_area_stock(page: Page, live_server: object, clock) -> None:  # type: ignore[no-untyped-def]
    stage = stage_build(clock)
    first = stage.analysed()
    requisition_raise(order_id=first.id, needs=[Need("MB-PC", 2)], by=None)
    done = stage.analysed()
    req = requisition_raise(order_id=done.id, needs=[Need("RAM-8G", 1)], by=None)
    requisition_issue(requisition_id=req.id, by=None)
    visit_part_missing(order_id=stage.on_site().id, code="HDD-1T", qty=1, rebook=True, by=None)
    taken = stage.taken()
    bring_back_receipt_issue(
        order_id=taken.id, return_by=MON + dt.timedelta(days=1), loaner_serial="LN-A01-01", by=None
    )
    person(Role.DISPATCHER, "disp")
    login(page, str(live_server), "disp")
    page.goto(f"{live_server}/stock/")
    expect(page.get_by_role("heading", name="在库")).to_be_visible()
    expect(page.get_by_role("heading", name="待领用申领单")).to_be_visible()
    expect(page.locator("tr.short").first).to_contain_text("电脑主板")
    expect(page.get_by_role("cell", name="LN-A01-01 周转电脑")).to_be_visible()
    expect(page.get_by_text("需再次上门").first).to_be_visible()
    assert_accessible(page)
    shot(page, "stock", full_page=True)
