"""The customer's link pages: each action reaches the services, with CSRF and no other data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from guifan.apps.fieldwork.eta import eta_for_order
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment, Contact, OrderEvent, WorkOrder
from guifan.clock import at_local, local
from tests import factories as f
from tests.apps.orders.test_links import WED, booked
from tests.visits import visit_finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(clock):
    order, appt = booked()
    return order, appt, services.customer_link_make(appointment_id=appt.id)


def hidden(order: WorkOrder, appt: Appointment, **extra: str) -> dict[str, str]:
    return {"version": str(order.version), "appointment": str(appt.id), **extra}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_page_shows_the_visit_in_chinese_without_login(client, visit):
    order, _, url = visit
    r = client.get(url)
    assert r.status_code == 200
    page = text(r)
    assert "您的上门预约" in page
    assert order.number in page
    assert "08:00–12:00" in page and "上午" in page
    assert "成都市锦江区春熙路1号" in page
    assert "139****5678" in page and "13912345678" not in page
    assert r.headers["Cache-Control"].startswith("max-age=0")


def test_the_page_shows_the_technician_name_and_badge_but_not_the_phone(client, visit):
    order, _, url = visit
    tech = f.technician()
    tech.phone = "13611112222"
    tech.save()
    services.visit_assign(
        order_id=order.id,
        technician_id=tech.id,
        planned_arrival=at_local(WED, "09:20"),
        by=None,
    )
    page = text(client.get(url))
    assert tech.name in page and tech.badge_no in page
    assert "13611112222" not in page


def test_another_orders_data_never_appears(client, visit):
    _, _, url = visit
    other, _ = booked(customer_name="李四", phone="13700001111", address="成都市武侯区人民南路9号")
    page = text(client.get(url))
    assert other.number not in page
    assert "李四" not in page and "人民南路" not in page and "1111" not in page


def test_confirming_records_the_contact_by_link(client, visit, clock):
    order, appt, url = visit
    r = client.post(f"{url}confirm/", hidden(order, appt))
    assert r.status_code == 302 and r.headers["Location"] == url
    appt.refresh_from_db()
    assert appt.confirmed_at == clock.now()
    assert Contact.objects.filter(order=order, channel="link", purpose="reconfirm").exists()
    assert "谢谢，您的预约已确认。" in text(client.get(url))


def test_changing_moves_the_visit_and_records_apt05(client, visit):
    order, appt, url = visit
    start = at_local(WED + dt.timedelta(days=1), "15:00")
    r = client.post(f"{url}change/", hidden(order, appt, slot=start.isoformat()))
    assert r.status_code == 302
    appt.refresh_from_db()
    new = appt.replaced_by
    assert appt.status == "rescheduled" and new is not None
    assert (new.window_start, new.status) == (start, "active")
    check = NormCheck.objects.get(norm_id="APT-05")
    assert (check.kept, check.order_id) == (True, order.id)
    assert OrderEvent.objects.filter(order=order, action="norm_check", norm_id="APT-05").exists()
    assert Contact.objects.filter(order=order, channel="link", purpose="reschedule").exists()
    page = text(client.get(url))
    assert "15:00–16:00" in page and "下午" in page


def test_a_refused_slot_shows_apt03_next_to_the_field(client, visit):
    order, appt, url = visit
    quiet = at_local(WED + dt.timedelta(days=1), "21:00")
    r = client.post(f"{url}change/", hidden(order, appt, slot=quiet.isoformat()))
    assert r.status_code == 422
    errors = re.search(r'<ul class="errorlist" id="change_slot-errors">(.*?)</ul>', text(r))
    assert errors and "20:00" in errors.group(1)
    assert re.search(r'<select name="slot"[^>]*aria-invalid="true"[^>]*autofocus', text(r))
    appt.refresh_from_db()
    assert appt.status == "active"


def test_a_missing_slot_is_asked_for_in_chinese(client, visit):
    order, appt, url = visit
    r = client.post(f"{url}change/", hidden(order, appt, slot=""))
    assert r.status_code == 422
    assert "请选择新的上门时间。" in text(r)


def test_cancelling_asks_first_then_records_the_reason(client, visit):
    order, appt, url = visit
    ask = client.get(f"{url}cancel/")
    assert ask.status_code == 200 and "确定取消预约吗？" in text(ask)
    appt.refresh_from_db()
    assert appt.status == "active"
    r = client.post(f"{url}cancel/confirm/", hidden(order, appt, reason="time"))
    assert r.status_code == 302
    appt.refresh_from_db()
    order.refresh_from_db()
    assert (appt.status, order.status) == ("cancelled", "cancelled")
    event = OrderEvent.objects.get(order=order, action="cancel")
    assert event.reason == "客户时间不便"
    assert NormCheck.objects.get(norm_id="APT-05").reason == "客户经客户链接取消"
    page = text(client.get(url))
    assert "此预约已取消。" in page
    assert "确认此时间" not in page and "改约到此时间" not in page and "/cancel/" not in page


def test_cancelling_needs_a_reason(client, visit):
    order, appt, url = visit
    r = client.post(f"{url}cancel/confirm/", hidden(order, appt))
    assert r.status_code == 422 and "请选择取消原因。" in text(r)
    appt.refresh_from_db()
    assert appt.status == "active"


@pytest.mark.parametrize(
    ("action", "extra"),
    [
        ("confirm/", {}),
        ("change/", {"slot": "2025-06-05T15:00:00+08:00"}),
        ("cancel/confirm/", {"reason": "time"}),
    ],
)
def test_every_form_refuses_a_post_without_csrf(visit, action, extra):
    order, appt, url = visit
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(url).status_code == 200
    r = strict.post(f"{url}{action}", hidden(order, appt, **extra))
    assert r.status_code == 403
    appt.refresh_from_db()
    assert (appt.status, appt.confirmed_at) == ("active", None)


def test_every_form_carries_a_csrf_token(client, visit):
    _, _, url = visit
    for page in (client.get(url), client.get(f"{url}cancel/")):
        forms = re.findall(r"<form .*?</form>", text(page))
        assert forms
        assert all("csrfmiddlewaretoken" in form for form in forms)


def test_a_stale_page_is_reported_not_applied(client, visit):
    order, appt, url = visit
    stale = hidden(order, appt)
    services.appointment_reschedule(
        appointment_id=appt.id, initiator="customer", by=None, day=WED, half_day="pm"
    )
    r = client.post(f"{url}cancel/confirm/", {**stale, "reason": "time"})
    assert r.status_code == 409
    assert "在您打开本页期间预约信息已有变化" in text(r)
    assert not Appointment.objects.filter(order=order, status="cancelled").exists()
    assert "(下午)" in text(r)


def test_an_expired_link_shows_a_clear_page_with_the_hotline(client, visit, clock):
    _, _, url = visit
    clock.advance(dt.timedelta(hours=72))
    r = client.get(url)
    assert r.status_code == 410
    page = text(r)
    assert "链接已过期" in page and "10000" in page
    assert client.post(f"{url}confirm/", {}).status_code == 410


@pytest.mark.parametrize("token", ["garbage", "eyJvIjoxfQ:abc", "a" * 300])
def test_a_tampered_link_shows_a_clear_page(client, visit, token):
    r = client.get(f"/c/{token}/")
    assert r.status_code == 404
    assert "链接无效" in text(r) and "Traceback" not in text(r)


def test_a_tampered_signature_is_refused(client, visit):
    _, _, url = visit
    r = client.get(url[:-3] + ("x" if url[-3] != "x" else "y") + url[-2:])
    assert r.status_code == 404 and "链接无效" in text(r)


def test_on_the_way_shows_the_live_eta_and_no_actions(client, visit, clock):
    """Under way, the live ETA (ADR 0034) takes the planned arrival's place: set off from
    home at 08:50, the road time at the area's speed gives the time and the minutes."""
    order, _, url = visit
    tech = f.technician()
    services.visit_assign(
        order_id=order.id, technician_id=tech.id, planned_arrival=at_local(WED, "09:20"), by=None
    )
    clock.set(at_local(WED, "08:50"))
    f.kit_ready(order.id)
    services.work_order_transition(order_id=order.id, action="depart", by=None)
    page = text(client.get(url))
    assert "装维人员正在赶来。" in page and "预计 09:20 到达。" not in page
    eta = eta_for_order(WorkOrder.objects.get(id=order.id), clock.now(), norms_snapshot())
    assert eta is not None
    assert f"预计 {local(eta.at):%H:%M} 到达（约 {eta.minutes} 分钟后）。" in page
    assert "确认此时间" not in page and "改约到此时间" not in page
    services.work_order_transition(order_id=order.id, action="arrive", by=None)
    assert "装维人员已到达。" in text(client.get(url))


def test_the_english_switch_works_without_login(client, visit):
    _, _, url = visit
    r = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert r.status_code == 302 and r.headers["Location"] == url
    page = text(client.get(url))
    assert "Your appointment" in page and "Confirm this time" in page


def test_a_completed_visit_is_shown_done_without_actions(client, visit, clock):
    order, _, url = visit
    services.visit_assign(
        order_id=order.id,
        technician_id=f.technician().id,
        planned_arrival=at_local(WED, "09:20"),
        by=None,
    )
    clock.set(at_local(WED, "08:50"))
    f.kit_ready(order.id)
    for action in ("depart", "arrive"):
        services.work_order_transition(order_id=order.id, action=action, by=None)
    visit_finish(order.id)
    page = text(client.get(url))
    assert "本次上门服务已完成" in page and "已完工" in page
    assert "确认此时间" not in page and "/cancel/" not in page
    assert client.get(f"{url}cancel/").status_code == 302
