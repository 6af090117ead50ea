"""Live ETA in the browser (ADR 0034): the technician turns sharing on, the route page's
position.js sends the phone's fix, and the customer's link shows the expected arrival and
the last-mile line, and nothing of where the technician is."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from guifan.apps.fieldwork.models import PositionReport
from guifan.apps.fieldwork.services import field_trip_step
from guifan.apps.orders import services
from guifan.apps.workforce.models import Shift
from guifan.clock import FixedClock
from tests.apps.fieldwork.visits import MON, field_user, field_visit
from tests.browser.conftest import assert_accessible, login, shot

NEAR = {"latitude": 30.659, "longitude": 104.08, "accuracy": 20}  # a kilometre from the door


def test_the_customer_sees_the_eta_from_the_technicians_shared_position(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    user = field_user("tech")
    Shift.objects.create(technician=user.technician, date=MON, start=dt.time(8), end=dt.time(18))
    order = field_visit(user)
    link = services.customer_link_make(appointment_id=order.appointments.get().id)
    field_trip_step(order_id=order.id, action="depart", expected_version=order.version, by=user)

    # The customer opens the link before any position: the ETA from the trip's start.
    phone.goto(f"{live_server}{link}")
    expect(phone.get_by_role("region", name="到达时间")).to_contain_text("预计")

    # The technician's phone: its clock agrees with the server's, the fix is near the door.
    phone.clock.install(time=clock.now())
    phone.context.grant_permissions(["geolocation"])
    phone.context.set_geolocation(NEAR)
    login(phone, str(live_server), "tech")
    phone.goto(f"{live_server}/t/")
    sharing = phone.get_by_role("region", name="位置共享")
    expect(sharing).to_contain_text("未开启")
    assert not PositionReport.objects.exists()  # off by default: nothing sent
    sharing.get_by_role("button", name="共享我的位置").click()
    expect(phone.locator("#position-status")).to_contain_text("已于 10:00 共享位置。")
    shot(phone, "route-position-sharing")
    report = PositionReport.objects.get()
    assert (report.lat, report.technician_id) == (NEAR["latitude"], user.technician.id)
    assert_accessible(phone)

    phone.goto(f"{live_server}{link}")
    eta = phone.get_by_role("region", name="到达时间")
    expect(eta).to_contain_text("预计 10:04 到达（约 4 分钟后）。")
    expect(eta).to_contain_text("装维人员距您约 4 分钟车程，即将到达。")
    body = phone.locator("body").inner_text()
    assert "30.659" not in body and "104.08" not in body
    assert_accessible(phone)
    shot(phone, "link-live-eta", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
