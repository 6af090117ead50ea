"""Hall devices in the browser (ADR 0027): a kiosk paired with its token issues tickets and
opens no staff page; the calling screen at 1920x1080 and 1080x1920 while calls arrive."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from guifan.apps.hall import services
from guifan.apps.hall.devices import device_add, device_revoke
from guifan.apps.hall.models import Counter, Hall, Ticket
from guifan.clock import FixedClock, local
from tests.browser.conftest import assert_accessible, shot

# Records what the screen would say, and each chime's notes, instead of playing them.
SOUND_STUB = """
window.__said = [];
window.__notes = 0;
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {speak: (u) => window.__said.push(u.text), cancel: () => {}},
});
const realOsc = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () { window.__notes += 1; return realOsc.call(this); };
"""

NOTICES = [
    "本厅营业时间：周一至周日 9:00–18:00",
    "办理过户、补卡等业务请携带本人有效身份证件",
    "缴费、查询话费可在自助终端办理，无需排队",
]


@pytest.fixture
def device(browser: Browser) -> Iterator[Callable[[int, int], Page]]:
    """A fresh browser (no login, no cookies) of the given size, as a device in the hall."""
    opened: list[BrowserContext] = []
    errors: list[str] = []

    def open_device(width: int, height: int) -> Page:
        ctx = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": width, "height": height},
            has_touch=True,
        )
        ctx.set_default_timeout(10_000)
        opened.append(ctx)
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        return page

    yield open_device
    for ctx in opened:
        ctx.close()
    assert not errors, f"JavaScript errors or CSP violations: {errors}"


@pytest.fixture
def hall(clock: object) -> Hall:
    h = Hall.objects.create(code="CD-CX01", name="春熙路旗舰营业厅", level=1, notices=NOTICES)
    for n in range(1, 7):
        cats = ["A", "B", "C"] if n <= 4 else ["A", "B"]
        Counter.objects.create(hall=h, number=n, categories=cats, status="open")
    Hall.objects.create(code="CD-YSK02", name="盐市口营业厅")
    return h


def pair(page: Page, base: str, token: str) -> None:
    """Open the pairing link (the token after "#") and pair, as a hall's technician would."""
    page.goto(f"{base}/hall/device/pair/#{token}")
    expect(page.get_by_label("设备令牌")).to_have_value(token)
    assert "#" not in page.url  # the token left the address bar
    page.get_by_role("button", name="配对").click()
    page.wait_for_load_state("networkidle")


def test_a_paired_kiosk_issues_tickets_and_opens_no_staff_page(
    device: Callable[[int, int], Page], live_server: object, hall: Hall
) -> None:
    base = str(live_server)
    kiosk_row, token = device_add(hall_code=hall.code, kind="kiosk", name="1号取号机", by=None)
    kiosk = device(1080, 1920)

    kiosk.goto(f"{base}/hall/{hall.code}/kiosk/")  # not paired yet: the pairing page
    expect(kiosk).to_have_url(f"{base}/hall/device/pair/?next=/hall/{hall.code}/kiosk/")
    kiosk.get_by_label("设备令牌").fill("gd_not-the-token-of-any-device")
    kiosk.get_by_role("button", name="配对").click()
    expect(kiosk.get_by_role("alert")).to_contain_text("没有这个设备令牌")

    pair(kiosk, base, token)
    expect(kiosk).to_have_url(f"{base}/hall/{hall.code}/kiosk/")
    kiosk.get_by_role("button", name="A 综合业务").click()
    expect(kiosk.locator("#ticket-result")).to_contain_text("A001")
    assert Ticket.objects.get().code == "A001"
    assert_accessible(kiosk)
    shot(kiosk, "kiosk-device")

    # No staff page opens: the device holds no staff session (the login page instead).
    for url in ("/hall/counter/", "/hall/overview/", "/quality/", "/qc/cases/", "/board/"):
        kiosk.goto(f"{base}{url}")
        expect(kiosk).to_have_url(f"{base}/login/?next={url}")
    # Not the screen (another kind), not another hall's kiosk, not the API.
    assert kiosk.goto(f"{base}/hall/{hall.code}/screen/").status == 403  # type: ignore[union-attr]
    expect(kiosk.get_by_role("heading", name="无权访问")).to_be_visible()
    assert kiosk.goto(f"{base}/hall/CD-YSK02/kiosk/").status == 404  # type: ignore[union-attr]
    api = kiosk.evaluate(
        """async () => (await fetch('/api/v1/halls/CD-CX01/tickets', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: '{"category": "A"}'})).status"""
    )
    assert api == 401
    assert Ticket.objects.count() == 1

    # Revoked: refused at the next request, and the browser forgets the device.
    device_revoke(device_id=kiosk_row.id, by=None)
    assert kiosk.goto(f"{base}/hall/{hall.code}/kiosk/").status == 403  # type: ignore[union-attr]
    expect(kiosk.locator("main")).to_contain_text("该设备已停用")
    assert not [c for c in kiosk.context.cookies() if c["name"] == "guifan_device"]


def _morning(hall: Hall, clock: FixedClock) -> None:
    """A busy morning: 30 tickets, 10 served, 5 called to counters 2-6 (counter 1 is free)."""
    counters = list(Counter.objects.filter(hall=hall).order_by("number"))
    for i in range(30):
        services.ticket_issue(
            by=None,
            hall_code=hall.code,
            category="ABC"[i % 3] if i % 4 else "A",
            vulnerable=i in (7, 27),
        )
        clock.advance(dt.timedelta(seconds=40))
    for round_ in range(3):
        for c in counters if round_ < 2 else counters[1:4]:
            t = services.ticket_call_next(counter_id=c.id, by=None)
            if t is None:
                continue
            clock.advance(dt.timedelta(seconds=30))
            if round_ < 2 and (round_, c.number) != (1, 5) and (round_, c.number) != (1, 6):
                services.ticket_start(ticket_id=t.id, hall_code=hall.code, by=None)
                clock.advance(dt.timedelta(minutes=4))
                services.ticket_finish(ticket_id=t.id, hall_code=hall.code, by=None)
    # The greeter verified two star customers still waiting from their records (HAL-04; the
    # service's own tests cover how): the screen only shows the classes.
    for t, level in zip(
        Ticket.objects.filter(status="waiting").order_by("id")[3:5], (5, 7), strict=True
    ):
        Ticket.objects.filter(id=t.id).update(star_record=level, star_verified=level)


def test_a_press_whose_answer_was_lost_gets_the_same_ticket_when_pressed_again(
    device: Callable[[int, int], Page], live_server: object, hall: Hall
) -> None:
    """The kiosk's first answer is lost after the server issued the ticket (a connection
    reset): the customer presses the same business again and sees that ticket, not a
    second number; the next customer's press is the next number (issue 18 faults)."""
    base = str(live_server)
    _, token = device_add(hall_code=hall.code, kind="kiosk", name="2号取号机", by=None)
    kiosk = device(1080, 1920)
    pair(kiosk, base, token)
    lost: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        if lost:
            route.continue_()
            return
        route.fetch()  # the server issues the ticket ...
        lost.append(route.request.url)
        route.abort("connectionreset")  # ... and the kiosk never hears back

    kiosk.route("**/kiosk/ticket/", lose_the_first_answer)
    button = kiosk.get_by_role("button", name="A 综合业务")
    with kiosk.expect_event("requestfailed"):
        button.click()
    assert [t.code for t in Ticket.objects.all()] == ["A001"]
    expect(kiosk.locator("#ticket-result")).not_to_contain_text("A001")
    button.click()  # the same customer presses again
    expect(kiosk.locator("#ticket-result")).to_contain_text("A001")
    assert Ticket.objects.count() == 1
    button.click()  # the next customer
    expect(kiosk.locator("#ticket-result")).to_contain_text("A002")
    assert sorted(t.code for t in Ticket.objects.all()) == ["A001", "A002"]


@pytest.mark.parametrize(
    "size", [(1920, 1080, "landscape"), (1080, 1920, "portrait")], ids=lambda s: s[2]
)
def test_the_calling_screen_shows_and_announces_calls(
    device: Callable[[int, int], Page],
    live_server: object,
    hall: Hall,
    clock: FixedClock,
    size: tuple[int, int, str],
) -> None:
    width, height, name = size
    base = str(live_server)
    _, token = device_add(hall_code=hall.code, kind="screen", name=f"大厅{name}屏", by=None)
    _morning(hall, clock)
    tv = device(width, height)
    tv.context.add_init_script(SOUND_STUB)
    pair(tv, base, token)
    expect(tv).to_have_url(f"{base}/hall/{hall.code}/screen/")
    expect(tv.locator(".cs-recent li")).to_have_count(8)
    for label in ("优先", "星级", "普通"):
        expect(tv.locator(".cs-wait")).to_contain_text(label)
    expect(tv.locator(".cs-wait")).to_contain_text("分钟")
    expect(tv.locator(".cs-track")).to_contain_text(NOTICES[1])
    hour = f"{local(clock.now()):%H}"
    expect(tv.locator("#clock-time")).to_have_text(re.compile(rf"^{hour}:\d\d:\d\d$"))  # the hall's
    assert "HAL" not in tv.locator("body").inner_text()  # no norm codes on a customer screen
    assert tv.evaluate("window.__said") == []  # calls already shown are not announced again

    # A counter calls: the screen flashes it, chimes and speaks it, through the event feed.
    clock.advance(dt.timedelta(minutes=1))
    called = services.ticket_call_next(
        counter_id=Counter.objects.get(hall=hall, number=1).id, by=None
    )
    assert called is not None
    lead = tv.locator(".cs-call.lead")
    expect(lead).to_contain_text(called.code)
    expect(lead).to_contain_text("请到 1 号窗口")
    tv.wait_for_function("() => window.__said.length === 1")
    assert tv.evaluate("window.__said") == [f"请{called.code}号到1号窗口办理"]
    assert tv.evaluate("window.__notes") == 2  # the two-note chime before the voice
    expect(lead).to_have_class("cs-call lead fresh")
    assert_accessible(tv, exclude=[".cs-marquee"])
    # Fit the screen without scrolling.
    assert tv.evaluate("document.documentElement.scrollHeight") <= height
    tv.wait_for_timeout(600)  # mid-flash looks like a call arriving
    shot(tv, f"calling-screen-{name}")
