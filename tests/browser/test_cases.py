"""The quality centre opens its cases: open first, the overdue flagged, then one case."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.cases.services import (
    case_close,
    case_contact_record,
    case_open_dissatisfied,
    complaint_open,
)
from guifan.apps.timers.services import timers_fire_due
from tests import factories as f
from tests.browser.conftest import assert_accessible, login, person, shot


def test_the_quality_centre_works_its_cases(page: Page, live_server: object, clock) -> None:  # type: ignore[no-untyped-def]
    quality = person(Role.QUALITY, "zhijian")
    tech = person(Role.TECHNICIAN, "wangshifu", first_name="王师傅")
    late = f.order(kind="repair", description="宽带无法上网")
    case, _ = case_open_dissatisfied(
        order=late, source="rating", reason="客户评分 1 分，认为师傅态度差", at=clock.now(), by=tech
    )
    clock.advance(dt.timedelta(hours=26))
    timers_fire_due(now=clock.now(), worker_id="t")
    complaint_open(
        order_id=f.order(kind="repair", customer_name="李四").id,
        summary="师傅上门迟到两小时且未提前联系",
        steps=["apologise", "listen fully", "record", "solution or time limit"],
        by=quality,
    )
    done, _ = case_open_dissatisfied(
        order=f.order(kind="install", customer_name="赵六"),
        source="signature",
        reason="客户未签名",
        at=clock.now(),
        by=tech,
    )
    case_contact_record(case_id=done.id, reached=True, satisfied=True, who="赵女士", by=quality)
    case_close(case_id=done.id, outcome="重新调试后客户满意", by=quality)
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, str(live_server), "zhijian")
    page.goto(f"{live_server}/qc/cases/?status=all")
    expect(page.get_by_role("heading", name="投诉与跟踪")).to_be_visible()
    expect(page.get_by_text("1 个案件已逾期")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("不满意跟踪（QA-02）")
    expect(page.locator("tbody tr").first).to_contain_text("已逾期")
    expect(page.get_by_role("cell", name="现场投诉（QA-03）")).to_be_visible()
    assert "13912345678" not in page.content()
    assert_accessible(page)
    shot(page, "cases")
    page.get_by_role("link", name=f"#{case.id}").click()
    expect(page.get_by_role("heading", name="处理经过")).to_be_visible()
    expect(page.get_by_text("逾期未回访", exact=True)).to_be_visible()
    page.locator("#x-outcome").fill("已处理")
    page.locator("form[action$='/close/'] button").click()
    expect(page.get_by_role("alert")).to_contain_text("QA-02")
