"""A customer on a phone opens the link, confirms, changes the time and cancels; bad links."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment
from guifan.clock import FixedClock, at_local
from tests import factories as f
from tests.apps.orders.test_links import WED, booked
from tests.browser.conftest import assert_accessible, shot


def test_a_customer_confirms_changes_and_cancels_on_a_phone(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    order, appt = booked()
    services.visit_assign(
        order_id=order.id,
        technician_id=f.technician().id,
        planned_arrival=at_local(WED, "09:20"),
        by=None,
    )
    url = f"{live_server}{services.customer_link_make(appointment_id=appt.id)}"
    phone.goto(url)
    expect(phone.get_by_role("heading", name="您的上门预约")).to_be_visible()
    expect(phone.get_by_role("region", name="上门信息")).to_contain_text("08:00–12:00")
    expect(phone.get_by_text("139****5678")).to_be_visible()
    assert_accessible(phone)
    shot(phone, "link-appointment", full_page=True)
    # Nothing is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("button", name="确认此时间").click()
    expect(phone.get_by_role("status").first).to_contain_text("您的预约已确认")
    expect(phone.get_by_text("已确认", exact=True)).to_be_visible()
    expect(phone.get_by_role("button", name="确认此时间")).to_have_count(0)

    phone.get_by_label("新的上门时间").select_option("2025-06-05T15:00:00+08:00")
    phone.get_by_role("button", name="改约到此时间").click()
    expect(phone.get_by_role("status").first).to_contain_text("已改到新的时间")
    visit = phone.get_by_role("region", name="上门信息")
    expect(visit).to_contain_text("15:00–16:00")
    expect(visit).to_contain_text("2025年6月5日 星期四")

    phone.get_by_role("link", name="取消预约").click()
    expect(phone.get_by_role("heading", name="确定取消预约吗？")).to_be_visible()
    phone.get_by_role("button", name="确定取消预约").click()
    expect(phone.get_by_text("请选择取消原因。")).to_be_visible()
    expect(phone.get_by_label("取消原因")).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_label("取消原因")).to_be_focused()
    assert_accessible(phone)
    phone.get_by_label("取消原因").select_option("time")
    phone.get_by_role("button", name="确定取消预约").click()
    expect(phone.get_by_role("status").first).to_contain_text("您的预约已取消")
    expect(phone.get_by_text("此预约已取消。")).to_be_visible()
    expect(phone.get_by_role("button")).to_have_count(1)  # only the language switch
    assert Appointment.objects.filter(order=order, status="cancelled").count() == 1


def test_an_expired_link_explains_how_to_get_a_new_one(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    _, appt = booked()
    path = services.customer_link_make(appointment_id=appt.id)
    clock.advance(dt.timedelta(hours=72))
    response = phone.goto(f"{live_server}{path}")
    assert response is not None and response.status == 410
    expect(phone.get_by_role("heading", name="链接已过期")).to_be_visible()
    expect(phone.get_by_role("link", name="10000")).to_have_attribute("href", "tel:10000")
    assert_accessible(phone)
    shot(phone, "link-expired")


def test_a_tampered_link_shows_a_clear_page(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    _, appt = booked()
    path = services.customer_link_make(appointment_id=appt.id)
    response = phone.goto(f"{live_server}{path[:-6]}AAAAA/")
    assert response is not None and response.status == 404
    expect(phone.get_by_role("heading", name="链接无效")).to_be_visible()
    expect(phone.get_by_text("Traceback")).to_have_count(0)


def test_the_english_switch_works_without_login(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    _, appt = booked()
    phone.goto(f"{live_server}{services.customer_link_make(appointment_id=appt.id)}")
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", name="Your appointment")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
