"""The kiosk issues tickets through the issue service; the calling screen shows the calls.

The kiosk is a paired kiosk device of H1 (ADR 0027); the screen here is looked at by H1's staff.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, Ticket
from guifan.apps.hall.posts import post_set
from guifan.apps.norms.models import NormCheck
from tests import factories as f
from tests.hall_devices import device_client

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def hall(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=3, categories=["A", "B"], status="open")
    Hall.objects.create(code="H2", name="盐市口营业厅")
    return h


@pytest.fixture
def device(hall):
    return device_client("H1", "kiosk")[0]


@pytest.fixture
def screen(hall):
    u = f.user(Role.HALL_STAFF, "screen1")
    post_set(user=u, hall_code="H1")
    c = Client()
    c.force_login(u)
    return c


def test_the_kiosk_offers_each_category(device):
    page = device.get("/hall/H1/kiosk/").content.decode()
    for text in ("综合业务", "宽带业务", "缴费与查询", "老人、病人、残障人士、孕妇或带幼儿的客户"):
        assert text in page


def test_a_ticket_shows_its_number_and_the_people_ahead(device):
    device.post("/hall/H1/kiosk/ticket/", {"category": "A"}, **HX)
    r = device.post(
        "/hall/H1/kiosk/ticket/",
        {"category": "A", "vulnerable": "1", "pre": ["id_ready", "bogus"], "star": "6"},
        **HX,
    )
    body = r.content.decode()
    assert "A002" in body and "您前面还有 1 人" in body
    t = Ticket.objects.get(number=2)
    # The kiosk takes no star level (HAL-04): a "star" field is ignored.
    assert (t.vulnerable, t.preprocessing, t.star_claimed, t.star_verified) == (
        True,
        ["id_ready"],
        0,
        None,
    )
    # Two customers who took their own number: neither was greeted, the second unassisted.
    broken = NormCheck.objects.filter(kept=False).values_list("norm_id", flat=True)
    assert sorted(broken) == ["HAL-05", "HAL-06", "HAL-06"]


def test_a_ticket_whose_answer_fails_is_not_kept(device, monkeypatch):
    """The connection lost after the ticket's insert but before the answer: no ticket stays
    that the customer never saw (they press again and must not hold two)."""
    from guifan.apps.web.hall import devices

    def lost(ticket):
        raise DatabaseError("terminating connection due to administrator command")

    monkeypatch.setattr(devices, "ticket_people_ahead", lost)
    with pytest.raises(DatabaseError):
        device.post("/hall/H1/kiosk/ticket/", {"category": "A"}, **HX)
    assert not Ticket.objects.exists()


def test_an_unknown_category_is_refused_in_chinese(device):
    r = device.post("/hall/H1/kiosk/ticket/", {"category": "Z"}, **HX)
    assert r.status_code == 422 and "类别须为 A/B/C" in r.content.decode()
    assert not Ticket.objects.exists()


def test_a_device_of_another_hall_is_refused(device):
    # Another hall reads as a missing one (issue 12: no existence leak).
    assert device.get("/hall/H2/kiosk/").status_code == 404
    assert device.post("/hall/H2/kiosk/ticket/", {"category": "A"}).status_code == 404
    assert device.get("/hall/H2/screen/calls/").status_code == 404
    assert device.get("/hall/H9/screen/").status_code == 404
    assert not Ticket.objects.exists()


def test_a_technician_may_not_use_the_devices(hall):
    c = Client()
    c.force_login(f.user(Role.TECHNICIAN))
    assert c.get("/hall/H1/kiosk/").status_code == 403


def test_the_screen_shows_the_call_and_the_words_to_speak(screen, hall):
    first = services.ticket_issue(by=None, hall_code="H1", category="A")
    services.ticket_issue(by=None, hall_code="H1", category="B")
    counter = Counter.objects.get(number=3)
    services.ticket_call_next(counter_id=counter.id, by=None)
    services.ticket_start(ticket_id=first.id, hall_code="H1", by=None)
    services.ticket_finish(ticket_id=first.id, hall_code="H1", by=None)
    services.ticket_call_next(counter_id=counter.id, by=None)
    body = screen.get("/hall/H1/screen/calls/").content.decode()
    now, recent = body.split("最近叫号")
    assert 'data-say="请B001号到3号窗口办理"' in now and "A001" not in now
    assert "A001" in recent and "3 号窗口" in recent


def test_the_screen_poll_reads_a_fixed_number_of_queries(
    screen, hall, django_assert_max_num_queries
):
    counter = Counter.objects.get(number=3)
    for _ in range(10):
        t = services.ticket_issue(by=None, hall_code="H1", category="A")
        services.ticket_call_next(counter_id=counter.id, by=None)
        services.ticket_no_show(ticket_id=t.id, hall_code="H1", by=None)
    with django_assert_max_num_queries(10):
        body = screen.get("/hall/H1/screen/calls/").content.decode()
    assert "A010" in body


def test_under_wsgi_the_screen_feed_is_one_look_long(screen, hall, settings):
    settings.GUIFAN_SSE_SECONDS = 3600  # ignored here: a WSGI worker would buffer the stream

    def feed() -> str:
        resp = screen.get("/hall/H1/screen/events/")
        assert resp["Content-Type"] == "text/event-stream" and not resp.streaming
        return resp.content.decode()

    before = feed()
    assert before == "retry: 1000\n\nevent: calls\ndata: none\n\n"
    services.ticket_issue(by=None, hall_code="H1", category="A")
    services.ticket_call_next(counter_id=Counter.objects.get(number=3).id, by=None)
    after = feed()
    stamp = after.split("data: ")[1].split("\n")[0]
    assert stamp != "none"
    page = screen.get("/hall/H1/screen/").content.decode()
    assert f'data-stamp="{stamp}"' in page


def test_a_press_sent_again_with_its_key_shows_the_same_ticket(device):
    """kiosk.js sends one press_key per press: the answer lost, the same press again is the
    same ticket; the next press (a new key) is the next number."""
    first = device.post("/hall/H1/kiosk/ticket/", {"category": "A", "press_key": "p-1"}, **HX)
    again = device.post("/hall/H1/kiosk/ticket/", {"category": "A", "press_key": "p-1"}, **HX)
    assert "A001" in first.content.decode() and "A001" in again.content.decode()
    nxt = device.post("/hall/H1/kiosk/ticket/", {"category": "A", "press_key": "p-2"}, **HX)
    assert "A002" in nxt.content.decode()
    assert Ticket.objects.count() == 2
