"""Mobile tickets (ADR 0028): the SMS link, position and expected wait, and the one message
when three are ahead, driven by the queue moving and sent by a durable timer exactly once."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.core import signing
from django.test import Client

from guifan.apps.hall import services
from guifan.apps.hall.abandon import ticket_abandon
from guifan.apps.hall.mobile import mobile_ticket_issue
from guifan.apps.hall.mobile_queue import (
    SALT,
    MobileLinkExpired,
    mobile_queue_moved,
    mobile_ticket_open,
    ticket_position,
)
from guifan.apps.hall.models import Counter, Hall, MobileTicket
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.services import timer_fire_next, timers_fire_due
from guifan.errors import NotFound, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def hall(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=1, categories=["A", "B"], status="open")
    return h


@pytest.fixture
def sent():
    """Every SMS the sender was asked to deliver: (to, body, key)."""
    out: list[tuple[str, str, str]] = []

    class Recorder:
        def send(self, *, to, channel, body, key):
            out.append((to, body, key))
            return "sent"

    with (
        mock.patch("guifan.apps.hall.mobile.get_sender", return_value=Recorder()),
        mock.patch("guifan.apps.hall.mobile_queue.get_sender", return_value=Recorder()),
    ):
        yield out


def walk_ins(n, category="A"):
    return [services.ticket_issue(by=None, hall_code="H1", category=category) for _ in range(n)]


def issue(category="A", phone=PHONE):
    return mobile_ticket_issue(
        hall_code="H1", by=None, category=category, phone=phone, base_url="https://hall.example/"
    )


def token_of(issued):
    return issued.path.rstrip("/").rsplit("/", 1)[1]


def call(hall):
    counter = Counter.objects.get(hall=hall, number=1)
    t = services.ticket_call_next(counter_id=counter.id, by=None)
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    services.ticket_finish(ticket_id=t.id, hall_code="H1", by=None)
    return t


def test_issue_texts_the_link_and_the_link_opens_the_ticket(hall, clock, sent):
    walk_ins(5)
    issued = issue()
    assert issued.ticket.code == "A006"
    assert len(sent) == 1 and sent[0][0] == PHONE
    assert "https://hall.example/c/m/" in sent[0][1] and "A006" in sent[0][1]
    mobile = mobile_ticket_open(token=token_of(issued))
    assert mobile.ticket_id == issued.ticket.id
    pos = ticket_position(mobile.ticket, clock.now())
    assert (
        pos.ahead == 5 and pos.wait_min == 40
    )  # 5 x 8 minutes (no finished ticket yet), 1 counter


def test_three_away_message_is_sent_once_by_the_timer(hall, clock, sent):
    walk_ins(5)
    issued = issue()
    assert not Timer.objects.filter(key__startswith="hallmob:").exists()
    call(hall)  # 4 ahead
    assert not Timer.objects.filter(key__startswith="hallmob:").exists()
    call(hall)  # 3 ahead: armed in the call's transaction
    timer = Timer.objects.get(key=f"hallmob:{issued.mobile.id}:near")
    assert timer.status == TimerStatus.PENDING and len(sent) == 1
    call(hall)  # 2 ahead: no second arming
    assert mobile_queue_moved(hall_id=hall.id) == 0  # repeated checks arm nothing
    assert Timer.objects.filter(key__startswith="hallmob:").count() == 1
    assert timers_fire_due(now=clock.now(), worker_id="t") == 1
    assert timers_fire_due(now=clock.now(), worker_id="t") == 0
    near = [s for s in sent if s[2].endswith(":near")]
    assert len(near) == 1 and "前面还有 2 位" in near[0][1]
    issued.mobile.refresh_from_db()
    assert issued.mobile.near_sent_at is not None and issued.mobile.near_outcome == "sent"


def test_already_near_at_issue_is_texted_at_once(hall, clock, sent):
    walk_ins(2)
    issued = issue()
    assert Timer.objects.filter(key=f"hallmob:{issued.mobile.id}:near").exists()


def test_an_abandon_ahead_moves_the_queue_too(hall, clock, sent):
    tickets = walk_ins(4)
    issued = issue()
    ticket_abandon(ticket_id=tickets[0].id, hall_code="H1", by=None)
    assert Timer.objects.filter(key=f"hallmob:{issued.mobile.id}:near").exists()


def test_a_failed_send_rolls_back_and_the_timer_fires_again(hall, clock):
    """The send and its record commit with the timer's fire; a crash repeats, never loses."""
    walk_ins(1)
    with mock.patch("guifan.apps.hall.mobile.get_sender") as link_sender:
        link_sender.return_value.send.return_value = "sent"
        issued = issue()
    from django.db import OperationalError

    with mock.patch("guifan.apps.hall.mobile_queue.get_sender") as broken:
        broken.return_value.send.side_effect = OperationalError("connection lost")
        with pytest.raises(OperationalError):
            timer_fire_next(now=clock.now(), worker_id="t")
    timer = Timer.objects.get(key=f"hallmob:{issued.mobile.id}:near")
    assert timer.status == TimerStatus.PENDING  # rolled back with the failed send
    with mock.patch("guifan.apps.hall.mobile_queue.get_sender") as ok:
        ok.return_value.send.return_value = "sent"
        assert timer_fire_next(now=clock.now(), worker_id="t") is not None
        ok.return_value.send.assert_called_once()
        assert ok.return_value.send.call_args.kwargs["key"] == timer.key


def test_a_ticket_served_before_the_timer_fires_is_not_texted(hall, clock, sent):
    walk_ins(1)
    issued = issue()
    call(hall)
    call(hall)  # the mobile ticket itself
    timers_fire_due(now=clock.now(), worker_id="t")
    assert [s for s in sent if s[2].endswith(":near")] == []
    assert MobileTicket.objects.get(id=issued.mobile.id).near_outcome == "skipped"


def test_tampered_and_expired_links_are_refused(hall, clock, sent):
    issued = issue()
    token = token_of(issued)
    with pytest.raises(NotFound):
        mobile_ticket_open(token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    forged = signing.Signer(salt="another").sign_object(
        {"m": issued.mobile.id, "t": issued.ticket.id, "e": 4102444800}, compress=True
    )
    with pytest.raises(NotFound):
        mobile_ticket_open(token=forged)
    other = signing.Signer(salt=SALT).sign_object({"m": issued.mobile.id, "t": 999, "e": 1})
    with pytest.raises((NotFound, MobileLinkExpired)):
        mobile_ticket_open(token=other)
    clock.advance(dt.timedelta(days=1))
    with pytest.raises(MobileLinkExpired):
        mobile_ticket_open(token=token)


def test_bad_phone_or_category_issues_nothing(hall, clock, sent):
    with pytest.raises(ValidationFailed) as err:
        issue(phone="010-1234567")  # a landline gets no SMS
    assert err.value.field == "phone"
    with pytest.raises(ValidationFailed) as err:
        issue(category="Z")
    assert err.value.field == "category"
    assert not MobileTicket.objects.exists() and sent == []


def test_api_issues_a_mobile_ticket_with_a_masked_phone(hall, clock, sent):
    _, token = f.token("system")
    resp = Client().post(
        "/api/v1/halls/H1/mobile-tickets",
        data=json.dumps({"category": "B", "phone": PHONE}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["phone"] == "138****5678" and PHONE not in resp.content.decode()
    assert body["ticket"]["code"] == "B001" and "/c/m/" in body["link"]
