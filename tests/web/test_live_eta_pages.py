"""Live ETA on the pages (ADR 0034): the route's sharing switch, the fixes position.js posts,
the next stop's ETA and DSP-04 prompt on the route, and the customer's link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from guifan.apps.accounts.models import Role, User
from guifan.apps.fieldwork.models import PositionConsent, PositionReport
from guifan.apps.fieldwork.services import field_trip_step
from guifan.apps.fieldwork.services.position import Fix, position_share, position_sharing_set
from guifan.apps.orders import services
from guifan.apps.workforce.models import Shift
from guifan.clock import FixedClock, at_local
from tests.apps.fieldwork.test_live_eta import NEAR, late_day
from tests.apps.fieldwork.visits import MON, field_user, field_visit

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    c = Client(HTTP_HOST="localhost")
    c.force_login(user)
    return c


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def on_shift(user: User) -> None:
    Shift.objects.create(technician=user.technician, date=MON, start=dt.time(8), end=dt.time(18))


def fix_post(at: dt.datetime, lat: float = NEAR[0]) -> dict[str, str]:
    return {"lat": str(lat), "lon": str(NEAR[1]), "accuracy": "20", "at": at.isoformat()}


def test_sharing_is_off_until_the_technician_turns_it_on(clock: FixedClock) -> None:
    user = field_user()
    on_shift(user)
    c = client_for(user)
    page = page_text(c.get(reverse("field:today")))
    assert 'data-sharing="off"' in page and "共享我的位置" in page
    r = c.post(reverse("field:position_sharing"), {"sharing": "on"})
    assert r.status_code == 302
    assert PositionConsent.objects.get(technician=user.technician).sharing is True
    page = page_text(c.get(reverse("field:today")))
    assert 'data-sharing="on"' in page and "停止共享位置" in page and "已开启位置共享。" in page
    assert "web/field/position.js" in page


def test_the_phone_posts_a_fix_and_a_refusal_names_field_and_norm(clock: FixedClock) -> None:
    user = field_user()
    on_shift(user)
    position_sharing_set(sharing=True, by=user)
    c = client_for(user)
    r = c.post(reverse("field:position"), fix_post(clock.now()))
    assert r.status_code == 200 and r.json()["message"] == "已于 10:00 共享位置。"
    clock.advance(dt.timedelta(minutes=1))
    r = c.post(reverse("field:position"), fix_post(clock.now(), lat=31.5))
    assert r.status_code == 422
    assert (r.json()["field"], r.json()["rule"]) == ("lat", "APT-07")
    clock.set(at_local(MON, "19:00"))
    r = c.post(reverse("field:position"), fix_post(clock.now()))
    assert r.status_code == 422
    assert r.json()["code"] == "position.outside_shift" and "班次" in r.json()["message"]
    r = c.post(reverse("field:position"), {"lat": "north"})
    assert r.status_code == 422


def test_only_technicians_post_positions(clock: FixedClock) -> None:
    dispatcher = User.objects.create_user("disp", role=Role.DISPATCHER)
    r = client_for(dispatcher).post(reverse("field:position"), fix_post(clock.now()))
    assert r.status_code == 403
    assert not PositionReport.objects.exists()


def test_the_route_shows_the_late_prompt_before_the_window(clock: FixedClock) -> None:
    user, _, second = late_day(clock)
    page = page_text(client_for(user).get(reverse("field:today")))
    card = page[page.index(f'id="order-{second.id}"') :]
    assert "晚于预约时间：请在 11:25 前致电客户（DSP-04）" in card
    assert "<details open>" in card  # the late-notice script, unfolded


def test_the_customer_link_shows_the_eta_and_the_last_mile_only(clock: FixedClock) -> None:
    user = field_user()
    on_shift(user)
    position_sharing_set(sharing=True, by=user)
    order = field_visit(user)
    url = services.customer_link_make(appointment_id=order.appointments.get().id)
    field_trip_step(order_id=order.id, action="depart", expected_version=order.version, by=user)
    position_share(fix=Fix(lat=NEAR[0], lon=NEAR[1], accuracy=20, at=clock.now()), by=user)
    page = page_text(Client().get(url))
    assert "预计 10:04 到达（约 4 分钟后）。" in page
    assert "装维人员距您约 4 分钟车程，即将到达。" in page
    assert "刷新到达时间" in page
    # Nothing of where the technician is: no coordinates of the shared position.
    assert str(NEAR[0]) not in page and "30.65" not in page


def test_the_link_shows_no_eta_when_another_visit_comes_first(clock: FixedClock) -> None:
    user = field_user()
    on_shift(user)
    field_visit(user)  # 10:40, first
    later = field_visit(user, window="14:00", arrival="13:50", departure="13:20")
    url = services.customer_link_make(appointment_id=later.appointments.get().id)
    page = page_text(Client().get(url))
    assert "到达时间" not in page and "预计" not in page
