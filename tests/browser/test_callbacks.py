"""A call-centre agent works a callback through: the worklist (overdue flagged), claim, the
survey from the form's current version, the answer recorded (issue 14)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.norms.models import NormCheck
from tests.apps.callcentre.test_callbacks import completed, remote_fixed
from tests.browser.conftest import assert_accessible, login, person, shot


def test_an_agent_works_a_callback_through(page: Page, live_server: object, clock) -> None:  # type: ignore[no-untyped-def]
    remote_fixed()  # ORD-03: due in 30 minutes
    order = completed(fix_certain=False)  # QA-01: due in 3 hours
    clock.set(clock.now() + dt.timedelta(minutes=45))
    person(Role.QUALITY, "agent")
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, str(live_server), "agent")
    page.goto(f"{live_server}/qc/callbacks/")
    expect(page.get_by_role("heading", name="回访工作台")).to_be_visible()
    overdue = page.locator("tr.overdue")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("远程处理后回访")
    assert_accessible(page)
    shot(page, "callbacks")
    row = page.locator("tr", has_text="无把握修复回访")
    row.get_by_role("button", name="领取").click()
    expect(page.get_by_text("已领取该回访。")).to_be_visible()
    page.get_by_role("group", name="师傅进门是否穿鞋套").get_by_label("否").check()
    page.get_by_role("group", name="您反映的问题是否已经解决").get_by_label("是").check()
    page.get_by_role("group", name="您对本次服务的总体满意度").get_by_label("4").check()
    page.get_by_role("button", name="记录").click()
    expect(page.get_by_text("回访结果已记录。")).to_be_visible()
    expect(page.locator("ul.attempts")).to_contain_text("已接通")
    assert_accessible(page)
    kept = dict(NormCheck.objects.filter(order=order).values_list("norm_id", "kept"))
    assert kept["QA-01"] is True and kept["VIS-05"] is False and kept["QA-08"] is True
