"""Issue 16's board defects as a dispatcher meets them in Chromium: the arrival in local time
(a 12:22 visit); the confirmation on a double booking, a visit past the shift's end and an
arrival outside DSP-02's margin; the certified technicians first, the others greyed with the
reason; a drop ordering the route; the unplaced visits' reasons; the hover card (pointer and
keyboard); a chaser's badge; forty busy technicians at 1366×768 for the README."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.cases.alerts import alert_report
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment
from guifan.apps.workforce.models import Certification
from guifan.clock import at_local, local
from tests import factories as f
from tests.browser.conftest import assert_accessible, login, person, shot, tab_to
from tests.web.board_data import DAY, area_day, booked, on_shift


def _board(page: Page, live_server, username: str) -> None:
    person(Role.DISPATCHER, username)
    login(page, str(live_server), username)
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")


def test_a_1222_visit_changes_technician_without_touching_the_arrival(
    page: Page, live_server, clock
):
    day = area_day(clock)  # the clock stands at 10:05 local (02:05 UTC)
    appt = day.planned[2]  # 13:00 window
    Appointment.objects.filter(id=appt.id).update(planned_arrival=at_local(DAY, "12:22"))
    _board(page, live_server, "bd1")
    page.locator(f'button[data-appointment="{appt.id}"]').click()
    panel = page.locator("#panel")
    expect(panel.get_by_label("计划到达")).to_have_value("12:22")  # not 04:22 (UTC)
    other = next(t for t in day.techs if t.id != appt.technician_id)
    panel.get_by_label("装维人员").select_option(str(other.id))
    panel.get_by_role("button", name="改派").click()
    # Only DSP-02 speaks (38 minutes early); never "the arrival has passed".
    expect(panel.get_by_role("alert")).to_contain_text("提前 38 分钟到达")
    expect(panel).not_to_contain_text("已过")
    panel.get_by_label("我已知晓以上提醒，仍然改派").check()
    panel.get_by_role("button", name="改派").click()
    expect(panel).to_contain_text(f"已派给 {other.name}，预计 12:22 到达")
    done = Appointment.objects.get(id=appt.id)
    assert done.technician_id == other.id and done.planned_arrival == at_local(DAY, "12:22")


def test_a_double_booking_asks_for_confirmation_and_writes_nothing_before(
    page: Page, live_server, clock
):
    day = area_day(clock)
    taken, moved = day.planned[1], day.planned[2]
    assert taken.planned_arrival is not None and taken.technician_id is not None
    at = f"{local(taken.planned_arrival):%H:%M}"
    _board(page, live_server, "bd2")
    page.locator(f'button[data-appointment="{moved.id}"]').click()
    panel = page.locator("#panel")
    panel.get_by_label("装维人员").select_option(str(taken.technician_id))
    panel.get_by_label("计划到达").fill(at)
    panel.get_by_role("button", name="改派").click()
    warning = panel.get_by_role("alert")
    expect(warning).to_contain_text("改派前请确认：")
    expect(warning).to_contain_text(f"与工单 {taken.order.number} 的上门时间重叠")
    assert_accessible(page, exclude=["#map"])
    shot(page, "board-confirm-double-booking")
    unchanged = Appointment.objects.get(id=moved.id)
    assert unchanged.technician_id == moved.technician_id
    assert unchanged.planned_arrival == moved.planned_arrival
    # Confirmed for this technician and arrival (the form carries what was warned of).
    panel.get_by_label("我已知晓以上提醒，仍然改派").check()
    panel.get_by_role("button", name="改派").click()
    expect(panel).to_contain_text("已派给")
    assert Appointment.objects.get(id=moved.id).technician_id == taken.technician_id


def test_the_optimizer_lists_each_unplaced_visit_with_its_reason(page: Page, live_server, clock):
    area_day(clock)
    nobody = f.order(kind="repair", tier="gold", service_type="iptv")  # nobody is certified
    services.work_order_analyse(order_id=nobody.id, analysis={"probable_cause": "x"}, by=None)
    services.work_order_transition(order_id=nobody.id, action="await_appointment", by=None)
    services.appointment_book(order_id=nobody.id, by=None, window_start=at_local(DAY, "15:00"))
    _board(page, live_server, "bd3")
    page.get_by_role("button", name="运行优化派工").click()
    result = page.locator("#plan-result")
    expect(result).to_contain_text("1 个上门无法安排")
    item = result.locator("ul.unplaced li", has_text=nobody.number)
    expect(item).to_contain_text("没有持有该工种有效认证的装维人员（DSP-05）")
    # The English switch translates the reason too.
    page.context.add_cookies([{"name": "guifan_language", "value": "en", "url": str(live_server)}])
    page.reload()
    page.get_by_role("button", name="Run the optimizer").click()
    expect(page.locator("#plan-result")).to_contain_text(
        "No technician holds a valid certificate for this work type (DSP-05)"
    )


def test_the_hover_card_opens_by_pointer_and_keyboard_at_1366(page: Page, live_server, clock):
    day = area_day(clock)
    for i in range(38):
        on_shift(f"师傅{i:02d}", 30.6 + i / 1000)
    appt = day.planned[1]
    customer = appt.order.customer
    customer.title = "先生"
    customer.save()
    page.set_viewport_size({"width": 1366, "height": 768})
    _board(page, live_server, "bd4")
    expect(page.locator(".tl-row")).to_have_count(40)
    block = page.locator(f'button[data-appointment="{appt.id}"]')
    expect(block).to_contain_text("宽带维修 · 金卡 · 张先生 · 11:00–")
    card = page.locator("#hover-card")
    # Keyboard: focus shows the card, Escape hides it.
    tab_to(page, f'button[data-appointment="{appt.id}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text(appt.order.address.text)
    expect(card).to_contain_text(appt.order.customer.masked_phone)
    expect(card).to_contain_text("已派工")
    assert appt.order.customer.phone not in card.inner_text()
    page.keyboard.press("Escape")
    expect(card).to_have_count(0)
    # Pointer, on the compact board where forty technicians fit on the screen.
    page.get_by_role("button", name="紧凑").click()
    page.locator(".timeline").evaluate("(e) => e.scrollIntoView()")
    last = page.locator(".tl-row").last.bounding_box()
    assert last is not None and last["y"] + last["height"] <= 768
    block.hover()
    expect(card).to_be_visible()
    shot(page, "board-1366")


def _confirm_then_assign(
    page: Page, appt_id: int, tech_id: int, at: str, *warned: str, picture: str
) -> None:
    """Assign by hand: the panel warns, writes nothing, and assigns once confirmed."""
    panel = page.locator("#panel")
    panel.get_by_label("装维人员").select_option(str(tech_id))
    panel.get_by_label("计划到达").fill(at)
    panel.get_by_role("button", name="改派").click()
    warning = panel.get_by_role("alert")
    expect(warning).to_contain_text("改派前请确认：")
    for text in warned:
        expect(warning).to_contain_text(text)
    shot(page, picture)
    before = Appointment.objects.get(id=appt_id)
    assert before.technician_id != tech_id or f"{local(before.planned_arrival):%H:%M}" != at
    panel.get_by_label("我已知晓以上提醒，仍然改派").check()
    panel.get_by_role("button", name="改派").click()
    expect(panel).to_contain_text(f"预计 {at} 到达")
    done = Appointment.objects.get(id=appt_id)
    assert done.technician_id == tech_id and done.planned_arrival == at_local(DAY, at)


def test_a_visit_ending_after_the_shift_asks_for_confirmation(page: Page, live_server, clock):
    day = area_day(clock)
    evening = booked(17)  # 17:00–18:00; the shifts end at 17:30, the repair takes 45 minutes
    tech = day.techs[0]
    _board(page, live_server, "bd5")
    page.locator(f'button[hx-get="/board/visits/{evening.id}/"]').click()
    # 16:55 keeps DSP-02's margin: only the shift's end speaks.
    warned = f"预计 17:45 完工，晚于 {tech.name} 的下班时间 17:30"
    _confirm_then_assign(page, evening.id, tech.id, "16:55", warned, picture="board-shift-end")
    expect(page.locator("#panel")).not_to_contain_text("DSP-02 要求")


def test_an_arrival_outside_the_dsp02_margin_asks_for_confirmation(page: Page, live_server, clock):
    day = area_day(clock)
    appt = day.planned[2]  # 13:00 window; DSP-02 wants the technician 5–10 minutes early
    other = next(t for t in day.techs if t.id != appt.technician_id)
    _board(page, live_server, "bd6")
    page.locator(f'button[data-appointment="{appt.id}"]').click()
    warned = "晚于时间窗开始 20 分钟到达，DSP-02 要求提前 5–10 分钟。"
    _confirm_then_assign(page, appt.id, other.id, "13:20", warned, picture="board-dsp02")


def test_certified_technicians_come_first_and_the_others_are_greyed_with_the_reason(
    page: Page, live_server, clock
):
    # Created first, so first by badge number: the list still puts the certified before.
    stranger = f.technician(work_types=("iptv_install",))
    day = area_day(clock)
    lapsed = f.technician(work_types=())
    Certification.objects.create(
        technician=lapsed, work_type="broadband_repair", valid_until=dt.date(2025, 5, 31)
    )
    _board(page, live_server, "bd7")
    page.locator(f'button[data-appointment="{day.planned[1].id}"]').click()
    select = page.locator("#panel").get_by_label("装维人员")
    expect(select.locator("optgroup")).to_have_count(2)
    assert select.locator("optgroup").evaluate_all("gs => gs.map(g => g.label)") == [
        "已认证",
        "未认证",
    ]
    certified = select.locator('optgroup[label="已认证"] option')
    others = select.locator('optgroup[label="未认证"] option')
    assert certified.evaluate_all("os => os.map(o => Number(o.value))") == [t.id for t in day.techs]
    assert others.evaluate_all("os => os.map(o => Number(o.value))") == [stranger.id, lapsed.id]
    expect(others.nth(0)).to_contain_text(
        f"{stranger.name} ({stranger.badge_no})（无该工种有效认证）"
    )
    expect(others.nth(1)).to_contain_text("资格证书已于 2025-05-31 过期")
    for i in range(2):
        expect(others.nth(i)).to_be_disabled()
        expect(certified.nth(i)).to_be_enabled()
    # Greyed: the disabled options are drawn in another colour than the certified ones.
    grey = others.nth(0).evaluate("o => getComputedStyle(o).color")
    assert grey != certified.nth(0).evaluate("o => getComputedStyle(o).color")
    # The English switch says the same.
    page.context.add_cookies([{"name": "guifan_language", "value": "en", "url": str(live_server)}])
    page.reload()
    page.locator(f'button[data-appointment="{day.planned[1].id}"]').click()
    select = page.locator("#panel").get_by_label("Technician")
    expect(select.locator('optgroup[label="Not certified"] option').first).to_contain_text(
        "no valid certificate for this work type"
    )


def test_a_drop_after_a_visit_puts_it_after_in_the_route(page: Page, live_server, clock):
    """The drop's position orders the route; the arrival is the previous visit's end."""
    day = area_day(clock)
    first, second = day.techs
    x = day.planned[1]  # 11:00–12:00, 王师傅 arrives 10:50 and works until 11:45
    Appointment.objects.filter(id=x.id).update(
        technician=first, planned_arrival=at_local(DAY, "10:50"), planned_departure=None
    )
    v = booked(11)  # the same window, 李师傅's
    Appointment.objects.filter(id=v.id).update(
        technician=second, planned_arrival=at_local(DAY, "10:50"), planned_departure=None
    )
    _board(page, live_server, "bd8")
    source = page.locator(f'button[data-appointment="{v.id}"]')
    target = page.locator(f'.tl-row[data-technician="{first.id}"] .tl-track')
    box = target.bounding_box()
    assert box is not None
    # Dropped at 12:00 (5/14 of the 07:00–21:00 track): after the 10:50 visit, not at 12:00
    # nor at DSP-02's margin before the window (10:50, on top of the other visit).
    source.drag_to(target, target_position={"x": box["width"] * 5 / 14, "y": box["height"] / 2})
    panel = page.locator("#panel")
    expect(panel.get_by_label("计划到达")).to_have_value("11:45")
    expect(panel.get_by_role("alert")).to_contain_text("晚于时间窗开始 45 分钟到达")
    expect(panel.get_by_role("alert")).not_to_contain_text("重叠")
    assert Appointment.objects.get(id=v.id).technician_id == second.id
    panel.get_by_label("我已知晓以上提醒，仍然改派").check()
    panel.get_by_role("button", name="改派").click()
    expect(panel).to_contain_text(f"已派给 {first.name}，预计 11:45 到达")
    row = page.locator(f'.tl-row[data-technician="{first.id}"]')
    expect(row.locator(f'button[data-appointment="{v.id}"]')).to_have_count(1)
    order = row.locator("button[data-appointment]").evaluate_all(
        "bs => bs.map(b => Number(b.dataset.appointment))"
    )
    assert order.index(x.id) < order.index(v.id)


def test_a_chaser_raises_the_priority_on_the_live_board(page: Page, live_server, clock):
    """QA-05: a chased order carries a badge on its block and leads the unassigned visits."""
    day = area_day(clock)
    later = booked(16)  # open, listed after the 15:00 one
    _board(page, live_server, "bd9")
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text(day.open.order.number)
    quality = f.user(Role.QUALITY)
    alert_report(order_id=later.order_id, kind="chaser", note="客户催修", by=quality)
    alert_report(order_id=day.planned[2].order_id, kind="chaser", note="客户催修", by=quality)
    # The live poll (every 10 s) brings the change without a reload.
    block = page.locator(f'button[data-appointment="{day.planned[2].id}"]')
    expect(block.locator(".alert-badge")).to_have_text("催单", timeout=15_000)
    expect(rows.first).to_contain_text(later.order.number)
    expect(rows.first.locator(".alert-badge")).to_have_text("催单")
    block.hover()
    expect(page.locator("#hover-card")).to_contain_text("催单")


SURNAMES = "王李张刘陈杨赵黄周吴"
TIERS = ("diamond", "gold", "silver", "normal")


def _busy_row(tech, i: int) -> int:
    """Three visits for technician ``i``, each with a planned drive before it."""
    made = 0
    for k, hour in enumerate((9 + i % 3, 12 + i % 2, 15 + i % 3)):
        order = f.order(
            kind="repair",
            tier=TIERS[(i + k) % 4],
            customer_name=f"{SURNAMES[(i + k) % 10]}某",
            title=("先生", "女士")[k % 2],
        )
        services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "x"}, by=None)
        services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
        appt = services.appointment_book(
            order_id=order.id, by=None, window_start=at_local(DAY, f"{hour:02d}:00")
        )
        arrive = appt.window_start - dt.timedelta(minutes=10)
        Appointment.objects.filter(id=appt.id).update(
            technician=tech,
            planned_arrival=arrive,
            planned_departure=arrive - dt.timedelta(minutes=20 + 5 * (i % 4)),
        )
        made += 1
    return made


def test_forty_busy_technicians_all_show_at_1366x768_when_compact(page: Page, live_server, clock):
    day = area_day(clock)
    techs = day.techs + [on_shift(f"师傅{i:02d}", 30.6 + i / 1000) for i in range(38)]
    clock.set(at_local(DAY, "07:00"))  # booked in the morning, shown at 10:05
    planned = sum(_busy_row(t, i) for i, t in enumerate(techs[2:], start=2))
    clock.set(at_local(DAY, "10:05"))
    page.set_viewport_size({"width": 1366, "height": 768})
    _board(page, live_server, "bd10")
    rows = page.locator(".tl-row")
    expect(rows).to_have_count(40)
    page.get_by_role("button", name="紧凑").click()
    page.locator(".timeline").evaluate("(e) => e.scrollIntoView()")
    for i in range(40):
        box = rows.nth(i).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768, i
    # Each block is drawn inside its own row (a compact block once sat half a row lower).
    outside = page.evaluate(
        """() => [...document.querySelectorAll('.tl-visit button')].filter((b) => {
            const r = b.closest('.tl-row').getBoundingClientRect();
            const x = b.getBoundingClientRect();
            return x.top < r.top || x.bottom > r.bottom;
        }).map((b) => b.dataset.appointment)"""
    )
    assert outside == []
    # A compact block starts with the tier and the customer (the work type is in the card).
    first_block = page.locator(f'button[data-appointment="{day.planned[1].id}"]')
    assert first_block.inner_text().startswith("金卡 · 张")
    # Every planned drive is drawn as a segment ending where its block starts.
    ends = page.evaluate(
        """() => [...document.querySelectorAll('.tl-travel')].map((t) => {
            const next = t.nextElementSibling.getBoundingClientRect();
            return Math.abs(t.getBoundingClientRect().right - next.left);
        })"""
    )
    assert len(ends) >= planned and max(ends) < 2
    shot(page, "board-1366-40")
