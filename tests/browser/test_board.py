"""The dispatcher's day on the board in Chromium: plan, see late risk, reassign, live update."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment, OrderEvent
from guifan.clock import at_local, local
from tests import factories as f
from tests.browser.conftest import assert_accessible, login, person, shot, tab_to
from tests.web.board_data import DAY, area_day, booked, on_shift


def test_dispatcher_plans_reassigns_and_sees_live_changes(page: Page, live_server, clock):
    day = area_day(clock)
    person(Role.DISPATCHER, "disp")
    login(page, str(live_server), "disp")
    expect(page).to_have_url(f"{live_server}/board/")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    expect(page.get_by_text("1 个有迟到风险")).to_be_visible()
    expect(page.locator(".tl-row")).to_have_count(2)
    # The map draws positions without tiles (no tile server configured here).
    expect(page.locator("#map path.leaflet-interactive").first).to_be_attached()
    assert page.locator("#map img.leaflet-tile").count() == 0
    assert_accessible(page, exclude=["#map"])
    shot(page, "board", full_page=True)

    # Run the optimizer: the open visit gets a technician.
    page.get_by_role("button", name="运行优化派工").click()
    expect(page.locator("#plan-result")).to_contain_text("优化器已派工 1 个上门")
    expect(page.get_by_text("当天所有上门均已派工")).to_be_visible()
    assert Appointment.objects.get(id=day.open.id).technician_id is not None

    # The late visit's panel says what to do (DSP-04 / DSP-03).
    late = Appointment.objects.get(id=day.planned[0].id)
    page.locator(f'button[data-appointment="{late.id}"]').click()
    panel = page.locator("#panel")
    expect(panel).to_contain_text("迟到风险")
    # Reassign the next visit to the other technician.
    nxt = Appointment.objects.get(id=day.planned[1].id)
    page.locator(f'button[data-appointment="{nxt.id}"]').click()
    other = next(t for t in day.techs if t.id != nxt.technician_id)
    expect(panel).to_contain_text(nxt.order.number)
    panel.get_by_label("装维人员").select_option(str(other.id))
    panel.get_by_label("计划到达").fill("10:50")
    shot(page, "board-reassign")
    panel.get_by_role("button", name="改派").click()
    expect(panel).to_contain_text(f"已派给 {other.name}")
    nxt.refresh_from_db()
    assert nxt.technician_id == other.id

    # Someone else books a visit: the board shows it without a reload.
    extra = booked(16)
    expect(page.get_by_role("cell", name=extra.order.number, exact=True)).to_be_visible(
        timeout=15_000
    )


def test_a_stale_reassign_is_refused_and_explained(page: Page, live_server, clock):
    day = area_day(clock)
    person(Role.DISPATCHER, "disp2")
    login(page, str(live_server), "disp2")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    appt = day.planned[1]
    page.locator(f'button[data-appointment="{appt.id}"]').click()
    panel = page.locator("#panel")
    expect(panel.get_by_role("button", name="改派")).to_be_visible()
    # Meanwhile another dispatcher moves the same visit.
    from guifan.apps.dispatch.services import visit_reassign

    other = next(t for t in day.techs if t.id != appt.technician_id)
    visit_reassign(
        appointment_id=appt.id,
        technician_id=other.id,
        arrival=local(appt.window_start).time(),
        expected_version=appt.order.version,
        by=None,
        confirmed=True,  # arriving at the window's start: DSP-02 asks for a confirmation
    )
    panel.get_by_role("button", name="改派").click()
    expect(panel.get_by_role("alert")).to_contain_text("已被他人修改")


def test_drag_a_visit_to_another_row(page: Page, live_server, clock):
    day = area_day(clock)
    person(Role.DISPATCHER, "disp3")
    login(page, str(live_server), "disp3")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    appt = day.planned[2]
    other = next(t for t in day.techs if t.id != appt.technician_id)
    source = page.locator(f'button[data-appointment="{appt.id}"]')
    target = page.locator(f'.tl-row[data-technician="{other.id}"] .tl-track')
    box = target.bounding_box()
    assert box is not None
    # 12:00 on a 07:00–21:00 track is 5/14 of its width.
    source.drag_to(target, target_position={"x": box["width"] * 5 / 14, "y": box["height"] / 2})
    # The drop at 12:00 only places the visit in the route; the arrival comes from the
    # route: DSP-02's margin before the 13:00 window, not the pixel's hour before it.
    expect(page.locator("#panel")).to_contain_text(f"已派给 {other.name}")
    expect(page.locator("#panel")).to_contain_text("12:50")
    appt.refresh_from_db()
    assert appt.technician_id == other.id
    assert appt.planned_arrival is not None and f"{local(appt.planned_arrival):%H:%M}" == "12:50"


def test_the_board_is_usable_with_the_keyboard(page: Page, live_server, clock):
    day = area_day(clock)
    person(Role.DISPATCHER, "disp4")
    login(page, str(live_server), "disp4")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    tab_to(page, f'button[data-appointment="{day.planned[1].id}"]')
    page.keyboard.press("Enter")
    expect(page.locator("#panel").get_by_label("装维人员")).to_be_visible()


def test_a_technician_falls_ill_and_the_day_is_replanned(page: Page, live_server, clock):
    day = area_day(clock)
    person(Role.DISPATCHER, "disp5")
    login(page, str(live_server), "disp5")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    gone = next(t for t in day.techs if t.id == day.planned[0].technician_id)
    page.get_by_text("重新排程当天剩余任务").click()
    page.get_by_label(f"{gone.name} ({gone.badge_no})").check()
    assert_accessible(page, exclude=["#map"])
    page.get_by_role("button", name="重新排程", exact=True).click()
    expect(page.locator("#plan-result")).to_contain_text("已重新排程")
    expect(page.locator("#plan-result")).to_contain_text(day.planned[0].order.number)
    row = page.locator(f'.tl-row[data-technician="{gone.id}"]')
    for a in day.planned[1:]:
        expect(row.locator(f'button[data-appointment="{a.id}"]')).to_have_count(0)


def test_a_technician_name_with_markup_shows_as_text_on_the_map(page: Page, live_server, clock):
    day = area_day(clock)
    evil = "<img src=x onerror=window.__xss=1>"
    tech = day.techs[0]
    tech.name = evil
    tech.save()
    person(Role.DISPATCHER, "disp6")
    login(page, str(live_server), "disp6")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    expect(page.locator("#map path.leaflet-interactive").first).to_be_attached()
    # Open every marker's tooltip as a pointer would.
    page.evaluate(
        """() => document.querySelectorAll('#map path.leaflet-interactive').forEach(
            (p) => p.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))"""
    )
    tooltip = page.locator(".leaflet-tooltip", has_text=f"{evil} ({tech.badge_no})")
    expect(tooltip).to_have_count(1)
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("() => window.__xss") is None


def test_the_hover_card_shows_a_blocks_facts_as_text(page: Page, live_server, clock):
    day = area_day(clock)
    appt = day.planned[1]
    evil = "<img src=x onerror=window.__xss=1>春熙路"
    address = appt.order.address
    address.text = evil
    address.save()
    customer = appt.order.customer
    customer.title = "女士"
    customer.save()
    person(Role.DISPATCHER, "disp7")
    login(page, str(live_server), "disp7")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    block = page.locator(f'button[data-appointment="{appt.id}"]')
    expect(block).to_contain_text("宽带维修 · 金卡 · 张女士 · 11:00–")
    block.hover()
    card = page.locator("#hover-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("宽带维修 · 金卡 · 张女士 · 11:00–")
    expect(card).to_contain_text(evil)
    expect(card).to_contain_text(appt.order.customer.masked_phone)
    expect(card).to_contain_text("已派工")
    last = OrderEvent.objects.filter(order_id=appt.order_id).latest("id")
    expect(card).to_contain_text(last.reason or last.action)
    assert card.locator("img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    shot(page, "board-hover-card")
    page.mouse.move(0, 0)
    expect(card).to_have_count(0)


def test_uncertified_technicians_are_greyed_and_unplaced_visits_explained(
    page: Page, live_server, clock
):
    day = area_day(clock)
    stranger = f.technician(work_types=("iptv_install",))
    person(Role.DISPATCHER, "disp8")
    login(page, str(live_server), "disp8")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    page.locator(f'button[data-appointment="{day.planned[1].id}"]').click()
    select = page.locator("#panel").get_by_label("装维人员")
    option = select.locator(f'option[value="{stranger.id}"]')
    expect(option).to_be_disabled()
    expect(option).to_contain_text("无该工种有效认证")
    certified = select.locator(f'option[value="{day.techs[0].id}"]')
    expect(certified).to_be_enabled()
    shot(page, "board-uncertified")
    # A visit nobody is certified for: the optimizer says why it stays open.
    nobody = f.order(kind="repair", tier="gold", service_type="iptv")
    services.work_order_analyse(order_id=nobody.id, analysis={"probable_cause": "x"}, by=None)
    services.work_order_transition(order_id=nobody.id, action="await_appointment", by=None)
    services.appointment_book(order_id=nobody.id, by=None, window_start=at_local(DAY, "15:00"))
    page.get_by_role("button", name="运行优化派工").click()
    result = page.locator("#plan-result")
    expect(result).to_contain_text(nobody.number)
    expect(result).to_contain_text("没有持有该工种有效认证的装维人员（DSP-05）")


def test_travel_segments_end_where_the_blocks_start(page: Page, live_server, clock):
    area_day(clock)
    person(Role.DISPATCHER, "disp9")
    login(page, str(live_server), "disp9")
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    segments = page.locator(".tl-travel")
    expect(segments.first).to_be_visible()
    for i in range(segments.count()):
        seg = segments.nth(i).bounding_box()
        block = segments.nth(i).locator("xpath=following-sibling::li[1]").bounding_box()
        assert seg is not None and block is not None
        assert seg["width"] > 0
        assert abs(seg["x"] + seg["width"] - block["x"]) < 2


def test_forty_technicians_fit_on_a_1366x768_screen_when_compact(page: Page, live_server, clock):
    area_day(clock)
    for i in range(38):
        on_shift(f"师傅{i:02d}", 30.6 + i / 1000)
    person(Role.DISPATCHER, "disp10")
    login(page, str(live_server), "disp10")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/board/?area=A01&date={DAY.isoformat()}")
    rows = page.locator(".tl-row")
    expect(rows).to_have_count(40)
    page.get_by_role("button", name="紧凑").click()
    expect(page.get_by_role("button", name="紧凑")).to_have_attribute("aria-pressed", "true")
    page.locator(".timeline").evaluate("(e) => e.scrollIntoView()")
    first, last = rows.first.bounding_box(), rows.last.bounding_box()
    assert first is not None and last is not None
    assert first["y"] >= 0 and last["y"] + last["height"] <= 768
    shot(page, "board-40-technicians")
    # Zoom widens the hours (the track scrolls sideways); the choice survives a live swap.
    before = rows.first.locator(".tl-track").bounding_box()
    page.get_by_label("缩放").select_option("2")
    after = rows.first.locator(".tl-track").bounding_box()
    assert before is not None and after is not None
    assert after["width"] > 1.9 * before["width"]
    page.get_by_role("button", name="运行优化派工").click()
    expect(page.locator("#plan-result")).to_contain_text("优化器已派工")
    expect(page.locator("#board.compact")).to_have_count(1)
