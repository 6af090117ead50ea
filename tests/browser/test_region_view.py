"""The regional view above the halls and the rating device at a counter (issue 15)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.devices import device_add
from guifan.apps.hall.models import Counter, Hall, HallAlert, HallRating, Region, RegionPost, Ticket
from guifan.apps.hall.posts import post_set
from guifan.clock import FixedClock, local
from tests.browser.conftest import assert_accessible, login, person, shot
from tests.browser.test_hall_devices import pair

HALLS = (
    ("CD-CX01", "春熙路旗舰营业厅", 4.6, 8),
    ("CD-JJ02", "锦江红星路营业厅", 3.4, 24),
    ("CD-WH03", "武侯科华路营业厅", 2.2, 41),
)


def _history(hall: Hall, now: dt.datetime, mean: float, wait: float, n: int = 12) -> None:
    """``n`` served tickets today with about ``wait`` minutes' wait, rated around ``mean``."""
    day = local(now).date()
    for i in range(n):
        issued = now - dt.timedelta(minutes=90 - i * 5)
        waited = wait * (0.6 + 0.08 * i)
        t = Ticket.objects.create(
            hall=hall,
            day=day,
            category="A",
            number=i + 1,
            star_verified=6 if i % 4 == 0 else None,
            status="done",
            issued_at=issued,
            started_at=issued + dt.timedelta(minutes=waited),
            finished_at=issued + dt.timedelta(minutes=waited + 6),
        )
        score = max(1, min(5, round(mean + (0.5 if i % 2 else -0.5))))
        HallRating.objects.create(ticket=t, score=score, at=t.finished_at)


def test_a_regional_manager_sees_the_halls_of_the_region_and_drills_down(
    page: Page, live_server: object, clock: FixedClock
) -> None:
    base = str(live_server)
    region = Region.objects.create(code="CD-C", name="成都中心城区")
    west = Region.objects.create(code="CD-W", name="成都西区")
    now = clock.now()
    for code, name, mean, wait in HALLS:
        hall = Hall.objects.create(code=code, name=name, region=region)
        for n in range(1, 5):
            status = "open" if n <= (3 if wait < 30 else 1) else "closed"
            Counter.objects.create(hall=hall, number=n, categories=["A", "B"], status=status)
        _history(hall, now, mean, wait)
    HallAlert.objects.create(
        hall=Hall.objects.get(code="CD-WH03"),
        kind="peak",
        raised_at=now - dt.timedelta(minutes=30),
        detail={"per_counter": 7.0, "waiting": 7},
    )
    Hall.objects.create(code="CD-PX09", name="郫都营业厅", region=west)
    manager = person(Role.DUTY_MANAGER, "region-duty")
    RegionPost.objects.create(user=manager, region=region)

    login(page, base, "region-duty")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{base}/hall/region/?days=1")
    expect(page.get_by_role("heading", name="片区：成都中心城区")).to_be_visible()
    rows = page.locator("table.region-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_text("郫都营业厅")).to_have_count(0)  # another region's hall
    expect(page.locator("svg.region-plot circle")).to_have_count(3)
    expect(page.locator("svg.region-plot")).to_contain_text("武侯科华路营业厅")
    assert_accessible(page)
    shot(page, "region-view", full_page=True)

    page.get_by_role("link", name="武侯科华路营业厅").click()
    expect(page.get_by_role("heading", name="武侯科华路营业厅 CD-WH03")).to_be_visible()
    expect(page.get_by_text("按等候时间的满意度")).to_be_visible()
    assert_accessible(page)
    # Another region, or a hall of it, is not found.
    assert page.goto(f"{base}/hall/region/?region=CD-W").status == 404
    assert page.goto(f"{base}/hall/region/CD-PX09/").status == 404


def test_the_customer_rates_the_service_just_finished_at_the_counter(
    page: Page, live_server: object, clock: FixedClock
) -> None:
    base = str(live_server)
    hall = Hall.objects.create(code="CD-CX01", name="春熙路旗舰营业厅")
    clerk = person(Role.HALL_STAFF, "zhang")
    post_set(user=clerk, hall_code=hall.code, counter_number=None)
    counter = Counter.objects.create(hall=hall, number=3, categories=["A"], status="open")
    page.set_viewport_size({"width": 1280, "height": 800})
    # The rating device is a paired device account (ADR 0027), never a staff login.
    _, token = device_add(hall_code=hall.code, kind="rating", name="评价器-3", by=None)
    pair(page, base, token)
    for staff_page in ("/hall/counter/", "/hall/overview/", "/quality/", "/board/"):
        page.goto(f"{base}{staff_page}")
        assert "/login/" in page.url, staff_page  # no staff page opens on the device
    page.goto(f"{base}/hall/{hall.code}/rating/?counter=3")
    expect(page.get_by_text("欢迎光临")).to_be_visible()

    ticket = services.ticket_issue(hall_code=hall.code, by=clerk, category="A")
    Ticket.objects.filter(id=ticket.id).update(
        status="done", counter=counter, started_at=clock.now(), finished_at=clock.now()
    )
    expect(page.get_by_text("A001 号，您对本次服务满意吗？")).to_be_visible(timeout=8000)
    body = page.locator("body").inner_text()
    assert "HAL-" not in body and "satisf" not in body.lower()  # no codes, no English
    box = page.get_by_role("button", name="满意", exact=False).first.bounding_box()
    assert box is not None and box["height"] >= 120  # a touch target
    assert_accessible(page)
    shot(page, "rating-device")
    page.get_by_text("等候时间长").click()
    page.get_by_role("button", name="一般", exact=True).click()
    expect(page.get_by_text("感谢您的评价！")).to_be_visible()
    rating = HallRating.objects.get()
    assert (rating.ticket_id, rating.score, rating.reason) == (ticket.id, 3, "wait")
