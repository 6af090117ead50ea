"""The kiosk's appointment check-in and the customer's mobile ticket page (ADR 0028)."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.test import Client

from guifan.apps.hall.appointments import appointment_book
from guifan.apps.hall.mobile import mobile_ticket_issue
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.services import ticket_call_next
from tests.hall_devices import device_client

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
PHONE = "13812345678"
NORM_CODE = re.compile(r"\b(HAL|SEC|STAR)-\d\d\b")


@pytest.fixture
def hall(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=3, categories=["A", "B"], status="open")
    Hall.objects.create(code="H2", name="盐市口营业厅")
    return h


@pytest.fixture
def device(hall):
    c, _ = device_client("H1", "kiosk")  # the kiosk runs as a paired device (ADR 0027)
    return c


def book(clock, minutes):
    return appointment_book(
        hall_code="H1",
        by=None,
        category="A",
        slot_at=clock.now() + dt.timedelta(minutes=minutes),
        phone=PHONE,
    )


def test_the_kiosk_links_to_the_check_in(device):
    page = device.get("/hall/H1/kiosk/").content.decode()
    assert "/hall/H1/kiosk/checkin/" in page and "已预约" in page


def test_check_in_by_code_gives_a_ticket_at_the_slot(device, clock):
    appt = book(clock, 10)
    page = device.get("/hall/H1/kiosk/checkin/").content.decode()
    assert "预约码或手机号" in page
    r = device.post("/hall/H1/kiosk/checkin/go/", {"key": appt.code.lower()}, **HX)
    assert r.status_code == 201
    body = r.content.decode()
    assert "A001" in body and "10:10" in body and "已按您预约的" in body
    assert not NORM_CODE.search(body)


def test_check_in_by_phone(device, clock):
    book(clock, 5)
    r = device.post("/hall/H1/kiosk/checkin/go/", {"key": PHONE}, **HX)
    assert r.status_code == 201 and "A001" in r.content.decode()


def test_too_early_is_told_when_to_come_back_without_norm_codes(device, clock):
    appt = book(clock, 120)
    r = device.post("/hall/H1/kiosk/checkin/go/", {"key": appt.code}, **HX)
    assert r.status_code == 422
    body = r.content.decode()
    assert "11:30" in body and "再来签到" in body and not NORM_CODE.search(body)


def test_an_unknown_code_is_a_422_in_the_form(device):
    r = device.post("/hall/H1/kiosk/checkin/go/", {"key": "ZZZZZZ"}, **HX)
    assert r.status_code == 422 and "没有找到该预约" in r.content.decode()


def test_another_halls_check_in_is_not_found(device):
    assert device.get("/hall/H2/kiosk/checkin/").status_code == 404
    assert device.post("/hall/H2/kiosk/checkin/go/", {"key": "ABCDEF"}).status_code == 404


# --- The mobile ticket page ----------------------------------------------------------------


@pytest.fixture
def quiet_sender():
    with (
        mock.patch("guifan.apps.hall.mobile.get_sender") as a,
        mock.patch("guifan.apps.hall.mobile_queue.get_sender") as b,
    ):
        a.return_value.send.return_value = "sent"
        b.return_value.send.return_value = "sent"
        yield


def mobile(category="A"):
    return mobile_ticket_issue(hall_code="H1", by=None, category=category, phone=PHONE)


def test_the_mobile_page_shows_position_and_wait_in_chinese(hall, clock, quiet_sender):
    from guifan.apps.hall.services import ticket_issue

    for _ in range(5):
        ticket_issue(by=None, hall_code="H1", category="A")
    issued = mobile()
    r = Client().get(issued.path)
    assert r.status_code == 200
    body = r.content.decode()
    assert "A006" in body and "您前面还有 5 人" in body and "预计还需等候约 40 分钟" in body
    assert "138****5678" in body and PHONE not in body
    assert 'hx-trigger="every 20s"' in body and 'hx-select="#mobile-status"' in body
    assert not NORM_CODE.search(body)


def test_the_mobile_page_says_which_counter_when_called(hall, clock, quiet_sender):
    issued = mobile()
    ticket_call_next(counter_id=Counter.objects.get(number=3).id, by=None)
    body = Client().get(issued.path).content.decode()
    assert "请到 3 号窗口办理" in body


def test_the_mobile_page_in_english(hall, clock, quiet_sender):
    issued = mobile()
    c = Client()
    c.cookies["guifan_language"] = "en"
    body = c.get(issued.path).content.decode()
    assert "Your number" in body and "0 people ahead of you" in body


def test_a_tampered_link_is_a_404_page_and_an_expired_one_a_410(hall, clock, quiet_sender):
    issued = mobile()
    bad = issued.path.rstrip("/")[:-3] + "xyz/"
    r = Client().get(bad)
    assert r.status_code == 404 and "链接无效" in r.content.decode()
    r = Client().get("/c/m/not-a-token/")
    assert r.status_code == 404
    clock.advance(dt.timedelta(days=1))
    r = Client().get(issued.path)
    assert r.status_code == 410 and "链接已过期" in r.content.decode()
