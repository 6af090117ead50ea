"""A quality supervisor finds the worst norm, narrows it to an area and opens its breaches."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.orders.models import WorkOrder
from guifan.clock import at_local
from tests import factories as f
from tests.apps.norms.ledger import TODAY, check, two_weeks
from tests.browser.conftest import assert_accessible, login, person, shot


@pytest.fixture
def ledger(clock: object) -> WorkOrder:
    """Two weeks of checks, and one LNG-02 breach in A02 with its order and transcript."""
    two_weeks()
    order = f.order(area="A02")
    turn = "这个不归我管,您找营业厅吧"
    TranscriptCheck.objects.create(
        order=order,
        channel="visit",
        turns=[{"speaker": "customer", "text": "网又断了"}, {"speaker": "staff", "text": turn}],
        person="T0004",
        area_code="A02",
        at=at_local(TODAY, "09:50"),
        findings=[
            {
                "norm": "LNG-02",
                "turn": 1,
                "start": 2,
                "end": 6,
                "text": "不归我管",
                "phrase": "不归我管",
            }
        ],
        score=85,
    )
    check(
        "LNG-02",
        False,
        TODAY,
        "09:50",
        area="A02",
        person="T0004",
        order=order,
        reason="服务禁语：不归我管",
        detail={"turn": 1},
    )
    return order


def test_a_supervisor_drills_from_the_worst_norm_to_a_broken_occasion(
    page: Page, live_server: object, ledger: WorkOrder
) -> None:
    person(Role.QUALITY, "qa")
    login(page, str(live_server), "qa")
    expect(page).to_have_url(f"{live_server}/quality/")
    norms = page.get_by_role("table", name="各规范遵守情况")
    first = norms.locator("tbody tr").first
    expect(first.get_by_role("rowheader")).to_have_text("APT-07")
    expect(page.get_by_role("img", name=re.compile("14 天遵守率")).first).to_be_visible()
    assert_accessible(page)
    shot(page, "quality-norms")

    page.get_by_label("片区", exact=True).select_option("A02")
    expect(page).to_have_url(re.compile(r"area=A02"))
    people = page.get_by_role("table", name="各人员遵守情况")
    expect(people).to_contain_text("赵敏(T0004)")
    expect(people).not_to_contain_text("王强")

    norms.get_by_role("link", name="LNG-02").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LNG-02 服务禁语")
    expect(page).to_have_url(re.compile(r"/quality/norms/LNG-02/\?.*area=A02"))
    newest = (
        page.get_by_role("table", name=re.compile("违反该规范的记录")).locator("tbody tr").first
    )
    expect(newest.get_by_role("rowheader")).to_have_text(ledger.number)
    expect(newest).to_contain_text("赵敏(T0004)")
    expect(newest.locator("mark")).to_have_text("不归我管")
    assert_accessible(page)
    shot(page, "quality-drilldown")


def test_a_duty_manager_may_open_the_drilldown_and_a_technician_may_not(
    page: Page, live_server: object, ledger: WorkOrder
) -> None:
    person(Role.DUTY_MANAGER, "duty")
    login(page, str(live_server), "duty")
    page.goto(f"{live_server}/quality/norms/LNG-02/")
    expect(page.get_by_role("heading", level=1)).to_have_text("LNG-02 服务禁语")
    expect(page.get_by_text(ledger.number)).to_be_visible()
    page.get_by_label("结束日期").fill("2025-05-01")
    expect(page.locator("#id_end_error")).to_have_text("结束日期早于开始日期。")
    expect(page.get_by_label("结束日期")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(ledger.number)).to_have_count(0)
    page.context.clear_cookies()
    person(Role.TECHNICIAN, "tech")
    login(page, str(live_server), "tech")
    response = page.goto(f"{live_server}/quality/norms/LNG-02/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
