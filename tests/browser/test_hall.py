"""A hall in the browser: kiosk → calling screen (spoken) → counter, and the duty manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.devices import device_add
from guifan.apps.hall.models import Counter, Hall, HallAlert, Ticket
from guifan.apps.hall.monitor import hall_monitor_start
from guifan.apps.hall.posts import post_set
from guifan.apps.norms.models import NormCheck
from guifan.apps.timers.services import timers_fire_due
from guifan.clock import FixedClock
from tests.browser.conftest import assert_accessible, login, person, shot
from tests.browser.test_hall_devices import pair

# Records what the screen would say instead of speaking it.
SPEECH_STUB = """
window.__said = [];
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {speak: (u) => window.__said.push(u.text), cancel: () => {}},
});
"""


@pytest.fixture
def device(browser: Browser) -> Iterator[Callable[[int, int], Page]]:
    """Opens pages for the hall's devices (a kiosk, a TV), each in its own browser context."""
    opened: list[BrowserContext] = []

    def open_device(width: int, height: int) -> Page:
        ctx = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": height}
        )
        ctx.set_default_timeout(10_000)
        opened.append(ctx)
        return ctx.new_page()

    yield open_device
    for ctx in opened:
        ctx.close()


@pytest.fixture
def hall(clock: object) -> Hall:
    h = Hall.objects.create(code="CD-CX01", name="春熙路旗舰营业厅", level=1)
    Counter.objects.create(hall=h, number=3, categories=["A", "B", "C"], status="open")
    Counter.objects.create(hall=h, number=4, categories=["A"], status="closed")
    return h


def test_a_customer_goes_from_kiosk_to_screen_to_counter(
    page: Page,
    device: Callable[[int, int], Page],
    live_server: object,
    hall: Hall,
    clock: FixedClock,
) -> None:
    base = str(live_server)
    post_set(user=person(Role.HALL_STAFF, "zhang"), hall_code=hall.code, counter_number=3)
    # The kiosk and the TV are paired device accounts of the hall (ADR 0027).
    tv = device(1920, 1080)
    tv.context.add_init_script(SPEECH_STUB)
    pair(tv, base, device_add(hall_code=hall.code, kind="screen", name="TV", by=None)[1])
    expect(tv.get_by_text("请耐心等候叫号")).to_be_visible()

    kiosk = device(1080, 1920)
    pair(kiosk, base, device_add(hall_code=hall.code, kind="kiosk", name="K1", by=None)[1])
    kiosk.get_by_role("button", name="A 综合业务").click()
    expect(kiosk.locator("#ticket-result")).to_contain_text("A001")
    expect(kiosk.locator("#ticket-result")).to_contain_text("您前面还有 0 人")
    assert_accessible(kiosk)
    shot(kiosk, "hall-kiosk")

    login(page, base, "zhang")
    expect(page).to_have_url(f"{base}/hall/counter/")
    expect(page.get_by_role("heading", name="3 号窗口 · 春熙路旗舰营业厅")).to_be_visible()
    expect(page.locator("#queue")).to_contain_text("本窗口等候：1 人")
    page.get_by_role("button", name="叫下一位").click()
    expect(page.locator("#panel .ticket-code")).to_have_text("A001")
    expect(page.locator("#panel")).to_contain_text("您好，请坐！")
    assert_accessible(page)
    shot(page, "hall-counter")

    now_calling = tv.locator(".cs-now")
    expect(now_calling).to_contain_text("A001")
    expect(now_calling).to_contain_text("3 号窗口")
    tv.wait_for_function("() => window.__said.length > 0")
    assert tv.evaluate("window.__said") == ["请A001号到3号窗口办理"]
    assert_accessible(tv)
    shot(tv, "hall-screen")

    clock.advance(dt.timedelta(seconds=30))
    page.get_by_role("button", name="重呼").click()
    tv.wait_for_function("() => window.__said.length > 1")  # a recall is announced again
    page.get_by_role("button", name="开始办理").click()
    expect(page.locator("#panel")).to_contain_text("办理完成时请说")
    page.get_by_role("button", name="办理完成").click()
    expect(page.locator("#panel")).to_contain_text("本窗口暂无客户")
    ticket = Ticket.objects.get()
    assert (ticket.code, ticket.status, ticket.counter.number) == ("A001", "done", 3)
    assert NormCheck.objects.filter(norm_id="HAL-02", kept=True).count() == 1
    expect(tv.locator(".cs-recent")).to_contain_text("A001")
    assert tv.evaluate("window.__said") == ["请A001号到3号窗口办理"] * 2  # each call once


def test_the_counter_shows_a_refusal_next_to_the_control(
    page: Page, live_server: object, hall: Hall
) -> None:
    post_set(user=person(Role.HALL_STAFF, "zhang"), hall_code=hall.code, counter_number=4)
    services.ticket_issue(by=None, hall_code=hall.code, category="A")
    login(page, str(live_server), "zhang")
    page.get_by_role("button", name="叫下一位").click()
    expect(page.get_by_role("alert")).to_contain_text("未开放，不能叫号")
    page.get_by_role("button", name="设为开放").click()
    page.get_by_role("button", name="叫下一位").click()
    expect(page.locator("#panel .ticket-code")).to_have_text("A001")


def test_the_duty_manager_answers_a_peak_by_opening_a_counter(
    page: Page, live_server: object, hall: Hall, clock: object
) -> None:
    for _ in range(9):
        services.ticket_issue(by=None, hall_code=hall.code, category="A")
    now = Ticket.objects.first().issued_at
    hall_monitor_start(hall=hall, at=now)
    timers_fire_due(now=now, worker_id="test")
    post_set(user=person(Role.DUTY_MANAGER, "wang"), hall_code=hall.code)
    post_set(user=person(Role.HALL_STAFF, "li"), hall_code=hall.code)

    login(page, str(live_server), "wang")
    expect(page).to_have_url(f"{live_server}/hall/overview/")
    expect(page.get_by_role("status").first).to_contain_text("高峰")
    assert_accessible(page)
    shot(page, "hall-overview")
    page.get_by_label("窗口", exact=True).select_option(label="4 号窗口")
    page.get_by_label("值守人员（不选则为本人）").select_option("li")
    page.get_by_role("button", name="开放窗口").click()
    expect(page.locator("#live")).to_contain_text("暂无未处置预警")
    assert Counter.objects.get(number=4).status == "open"
    assert HallAlert.objects.get(kind="peak").acted_at is not None
    assert NormCheck.objects.filter(norm_id="HAL-03", kept=True).count() == 1
    page.locator("#main").get_by_role("link", name="应急预案").click()
    page.get_by_role("button", name="雨雪天气").click()
    steps = page.locator("ol.steps li")
    expect(steps.first).to_contain_text("小心路滑")
    steps.first.get_by_role("button", name="标记完成").click()
    expect(steps.first).to_contain_text("已完成")
    assert_accessible(page)


def test_the_duty_manager_records_an_inspection(
    page: Page, live_server: object, hall: Hall
) -> None:
    post_set(user=person(Role.DUTY_MANAGER, "wang"), hall_code=hall.code)
    login(page, str(live_server), "wang")
    page.get_by_role("link", name="营业厅暗访检查").click()
    page.get_by_label("温度（°C）").fill("30")
    page.get_by_role("group", name="1. 营业厅设置有星级服务专区或专席").get_by_label(
        "合格", exact=True
    ).check()
    page.get_by_role("button", name="记录检查结果").click()
    expect(page.get_by_role("status")).to_contain_text("检查已记录：得分 50.0")
    assert_accessible(page)
    shot(page, "hall-inspection")


def test_hall_staff_record_and_close_a_complaint(
    page: Page, live_server: object, hall: Hall
) -> None:
    post_set(user=person(Role.HALL_STAFF, "zhang"), hall_code=hall.code, counter_number=3)
    login(page, str(live_server), "zhang")
    page.get_by_role("link", name="厅内投诉").click()
    page.get_by_label("客户姓名").fill("王女士")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("投诉内容").fill("多扣了上月话费")
    page.get_by_label("有争执：已引导客户至接待室").check()
    page.get_by_label("承诺答复时间").fill("2025-06-02T12:00")
    page.get_by_role("button", name="记录", exact=True).click()
    card = page.locator("article.complaint")
    expect(card).to_contain_text("139****5678")
    assert_accessible(page)
    shot(page, "hall-complaints")
    card.get_by_label("处理结果").fill("已退还多扣费用")
    card.get_by_role("button", name="办结投诉").click()
    expect(page.locator("article.complaint .tag")).to_have_text("已答复")
    assert NormCheck.objects.get(norm_id="HAL-08").kept is True
