"""The kiosk asks for a phone number (on-screen keypad, masked) or a member card, never a star
level; no norm codes on the customer's screen; Chinese with the English switch (HAL-04)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guifan.apps.hall.models import Counter, Hall, Ticket
from guifan.apps.stars.models import StarMember
from tests.hall_devices import device_client

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
WEB_HALL = Path(__file__).resolve().parents[2] / "guifan" / "apps" / "web" / "hall"
NORM_CODE = re.compile(r"\b(HAL|SEC|STAR|APT)-\d\d\b")


@pytest.fixture
def device(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=1, categories=["A"], status="open")
    StarMember.objects.create(ref="CRM-7", name="王五", phone="13800007777", level=7)
    c, _ = device_client("H1", "kiosk")  # the kiosk runs as a paired device (ADR 0027)
    return c


def test_the_kiosk_has_a_keypad_and_no_star_level(device):
    page = device.get("/hall/H1/kiosk/").content.decode()
    assert "手机号码" in page and "会员卡" in page
    keys = re.findall(r'data-key="([^"]+)"', page)
    assert sorted(keys) == sorted([*map(str, range(10)), "clear", "back"])
    assert 'name="star"' not in page and "自报" not in page
    assert not NORM_CODE.search(page)
    assert "web/hall/kiosk.js" in page


def test_the_kiosks_touch_targets_are_at_least_64_px():
    css = (WEB_HALL / "static" / "web" / "hall" / "hall.css").read_text(encoding="utf-8")
    rule = re.search(r"\.kiosk-key \{([^}]*)\}", css)
    assert rule is not None
    assert "min-width: 64px" in rule.group(1) and "min-height: 64px" in rule.group(1)


def test_a_ticket_by_phone_keeps_only_the_masked_phone(device):
    r = device.post("/hall/H1/kiosk/ticket/", {"category": "A", "phone": "13800007777"}, **HX)
    body = r.content.decode()
    assert r.status_code == 200 and "A001" in body
    assert "13800007777" not in body and "7 星" not in body  # nothing told to whoever typed it
    assert not NORM_CODE.search(body)
    t = Ticket.objects.get()
    assert (t.star_ref, t.star_phone, t.star_record, t.star_verified) == (
        "CRM-7",
        "138****7777",
        7,
        None,
    )


def test_a_ticket_by_member_card(device):
    device.post("/hall/H1/kiosk/ticket/", {"category": "A", "member_card": "CRM-7"}, **HX)
    assert Ticket.objects.get().star_ref == "CRM-7"


def test_an_unknown_card_or_a_bad_phone_is_told_in_chinese(device):
    r = device.post("/hall/H1/kiosk/ticket/", {"category": "A", "member_card": "X-1"}, **HX)
    assert r.status_code == 422 and "会员卡无效" in r.content.decode()
    r = device.post("/hall/H1/kiosk/ticket/", {"category": "A", "phone": "123"}, **HX)
    assert r.status_code == 422 and "手机号" in r.content.decode()
    assert not NORM_CODE.search(r.content.decode())
    assert not Ticket.objects.exists()


def test_the_kiosk_switches_to_english(device):
    r = device.post("/i18n/setlang/", {"language": "en", "next": "/hall/H1/kiosk/"}, follow=True)
    page = r.content.decode()
    assert "Phone number" in page and "Member card" in page and "中文" in page
    assert not NORM_CODE.search(page)
