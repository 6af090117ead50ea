"""A whole visit done offline, from the arrival to the completion, then synced: every record
carries the time of its tap on the phone, not the time of the sync (issue 13, item 5)."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image
from playwright.sync_api import Locator, Page, expect

from guifan.apps.fieldwork.models import (
    StepRecord,
    SyncAction,
    VisitPhoto,
    VisitRating,
    VisitSignature,
)
from guifan.apps.orders.models import Appointment, OrderEvent, WorkOrder
from guifan.clock import FixedClock, at_local
from tests.apps.fieldwork.visits import MON, field_user, field_visit, on_site
from tests.browser.conftest import login

SYNC_AT = at_local(MON, "10:40")
# What a technician types into the evidence boxes the step forms show (by field name).
TYPED = {
    "ev-broadband_number": "028123456789",
    "ev-user_name": "cd12345678",
    "ev-initial_password": "Ab123456",
    "ev-speed_mbps": "102",
    "ev-material-0-code": "MAT-CABLE",
    "ev-technical_parameters": "光功率：-18dBm",
    "ev-cause": "光猫配置丢失",
    "ev-measure": "重新配置并测试",
}


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "#2e7d32").save(out, format="JPEG", quality=90)
    return out.getvalue()


def draw_signature(phone: Page) -> None:
    pad = phone.locator("#sig-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    phone.mouse.move(x + 20, y + 100)
    phone.mouse.down()
    for i in range(1, 12):
        phone.mouse.move(x + 20 + i * 20, y + 100 + (30 if i % 2 else -30))
    phone.mouse.up()


def controlled(phone: Page) -> None:
    """Wait until the service worker controls the page: once it is active, a page that loaded
    before it took over is loaded again (it then controls it from the start)."""
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not phone.evaluate("!!navigator.serviceWorker.controller"):
        phone.reload()
    phone.wait_for_function("() => navigator.serviceWorker.controller !== null")


def fill_evidence(step: Locator) -> None:
    """Tick every box and fill what the step's evidence box asks for, as on site."""
    box = step.locator("fieldset.evidence")
    if not box.count():
        return
    for tick in box.locator("input[type=checkbox]").all():
        tick.check()
    for name, value in TYPED.items():
        field = box.locator(f"[name='{name}']")
        if field.count():
            field.fill(value)
    for photo in box.locator("input[type=file]").all():
        photo.set_input_files(
            files=[{"name": "label.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
        )


class Taps:
    """The phone's clock, stopped at a new whole minute before each tap; the times are kept."""

    def __init__(self, phone: Page, start: dt.datetime) -> None:
        self.phone, self.next, self.times = phone, start, {}

    def at(self, name: str) -> dt.datetime:
        self.phone.clock.pause_at(self.next)
        self.times[name] = self.next
        self.next += dt.timedelta(minutes=1)
        return self.times[name]


def second(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(microsecond=0)


def test_a_whole_visit_offline_keeps_every_tap_time(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    user = field_user("tech")
    order = field_visit(user)
    phone.clock.install(time=clock.now())
    login(phone, str(live_server), "tech")
    controlled(phone)
    card = phone.locator(f"#order-{order.id}")
    card.get_by_role("button", name="出发").click()
    expect(card).to_contain_text("在途")
    # Today's visit pages are kept by the service worker while online.
    visit_url = f"/t/o/{order.id}/"
    phone.wait_for_function(f"() => caches.match('{visit_url}').then((hit) => !!hit)")

    phone.context.set_offline(True)
    taps = Taps(phone, at_local(MON, "10:12"))
    taps.at("arrive")
    card.get_by_role("button", name="已到达").click()
    # The kept visit page opens, not the browser's "no connection" page.
    expect(phone.get_by_role("heading", name="现场作业清单")).to_be_visible()
    expect(phone.locator("#sync-status")).to_contain_text("待同步：1 项")

    required = [
        norm
        for norm in phone.locator("li.step[data-norm]").evaluate_all(
            "els => els.filter((el) => el.querySelector('.tag.warn') && "
            "el.querySelector('form[data-offline=step]')).map((el) => el.dataset.norm)"
        )
    ]
    assert required, "the checklist shows no required step"
    for norm in required:
        step = phone.locator(f"#step-{norm}")
        fill_evidence(step)
        taps.at(norm)
        step.get_by_role("button", name="完成", exact=True).click()
        expect(step).to_have_class("card step queued")

    taps.at("photo")
    phone.get_by_label("拍照或选择照片").set_input_files(
        files=[{"name": "modem.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    phone.get_by_role("button", name="上传照片").click()
    expect(phone.locator("[data-queued-note=photo]")).to_be_visible()

    draw_signature(phone)
    taps.at("signature")
    phone.get_by_role("button", name="保存签名").click()
    expect(phone.locator("[data-queued-note=signature]")).to_be_visible()

    phone.get_by_label("5 分").check()
    taps.at("rating")
    phone.get_by_role("button", name="保存评价").click()
    expect(phone.locator("[data-queued-note=rating]")).to_be_visible()

    taps.at("complete")
    phone.get_by_role("button", name="确认完工").click()
    expect(phone.get_by_role("heading", name="今日路线")).to_be_visible()
    queued = 1 + len(required) + 4
    expect(phone.locator("#sync-status")).to_contain_text(f"待同步：{queued} 项")
    order.refresh_from_db()
    assert order.status == "en_route"
    assert not StepRecord.objects.filter(order=order).exists()

    # The connection comes back half an hour after the last tap: the queue syncs by itself.
    clock.set(SYNC_AT)
    phone.clock.resume()
    phone.context.set_offline(False)
    expect(phone.locator(f"#order-{order.id}")).to_contain_text("已完工")
    expect(phone.locator("#sync-report")).to_be_hidden()

    order = WorkOrder.objects.get(id=order.id)
    assert order.status == "completed"
    assert SyncAction.objects.filter(user=user, status="ok").count() == queued
    t = {name: second(at) for name, at in taps.times.items()}
    events = dict(
        OrderEvent.objects.filter(order=order, action__in=("arrive", "complete")).values_list(
            "action", "at"
        )
    )
    recorded = {
        "arrive": events["arrive"],
        "arrived_at": Appointment.objects.get(order=order).arrived_at,
        "complete": events["complete"],
        "completed_at": order.completed_at,
        "photo": VisitPhoto.objects.get(order=order, norm_id="").at,
        "signature": VisitSignature.objects.get(order=order).at,
        "VIS-18": StepRecord.objects.get(order=order, norm_id="VIS-18").at,
        "rating": VisitRating.objects.get(order=order).at,
        **{
            norm: StepRecord.objects.get(order=order, norm_id=norm, outcome="done").at
            for norm in required
        },
    }
    expected = {
        **t,
        "arrived_at": t["arrive"],
        "completed_at": t["complete"],
        "VIS-18": t["signature"],
    }
    assert {k: second(v) for k, v in recorded.items() if v is not None} == expected
    assert second(SYNC_AT) not in {second(v) for v in recorded.values() if v is not None}
    photo = VisitPhoto.objects.get(order=order, norm_id="")
    assert (photo.content_type, photo.size) == ("image/jpeg", len(jpeg_bytes()))
    # Each step kept its norm with the evidence typed offline; the label's photo came along.
    assert not StepRecord.objects.filter(order=order, blocks=True).exists()
    assert not StepRecord.objects.filter(order=order).exclude(shortfalls=[]).exists()
    label = VisitPhoto.objects.filter(order=order, norm_id="VIS-13").first()
    if "VIS-13" in required:
        assert label is not None and second(label.at) == t["VIS-13"]
    assert bytes(VisitSignature.objects.get(order=order).png).startswith(b"\x89PNG")
    assert VisitRating.objects.get(order=order).score == 5


def test_a_tap_whose_post_fails_while_online_is_kept_by_the_service_worker(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    user = field_user("tech")
    order = on_site(user, field_visit(user))
    phone.clock.install(time=clock.now())
    login(phone, str(live_server), "tech")
    phone.goto(f"{live_server}/t/o/{order.id}/")
    controlled(phone)
    # The phone believes it is online, but the post never reaches the server.
    phone.context.route(f"**/t/o/{order.id}/step/", lambda route: route.abort())
    clock.set(at_local(MON, "10:30"))
    tapped = at_local(MON, "10:20")
    phone.clock.pause_at(tapped)
    phone.locator("#step-VIS-02").get_by_role("button", name="完成", exact=True).click()
    # Back on the visit page (not the browser's error page); the queue syncs through /t/sync/.
    expect(phone.get_by_role("heading", name="现场作业清单")).to_be_visible()
    phone.clock.resume()
    expect(phone.locator("#step-VIS-02 .state")).to_contain_text("完成")
    rec = StepRecord.objects.get(order=order, norm_id="VIS-02")
    assert second(rec.at) == second(tapped)
