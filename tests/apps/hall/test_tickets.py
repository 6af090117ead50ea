"""Tickets: gapless numbers, slack-based calling, HAL-02/04/05/10, and the refusals."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, Handover, Ticket
from guifan.apps.hall.posts import post_set
from guifan.apps.hall.verification import ticket_verify_star
from guifan.apps.norms.models import NormCheck
from guifan.apps.stars.models import StarMember
from guifan.errors import Conflict, NotFound, RuleViolation
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=1, categories=["A", "B"], status="open")
    Counter.objects.create(hall=h, number=2, categories=["A"], status="closed")
    return h


def counter(hall, n):
    return Counter.objects.get(hall=hall, number=n)


def issue(category="A", **kw):
    return services.ticket_issue(by=None, hall_code="H1", category=category, **kw)


def test_numbers_are_per_category_and_gapless(hall):
    codes = [issue("A").code, issue("A").code, issue("B").code, issue("A").code]
    assert codes == ["A001", "A002", "B001", "A003"]


def test_an_unverified_star_claim_gives_no_priority(hall, clock):
    normal = issue()
    clock.advance(dt.timedelta(minutes=1))
    issue(star_claimed=7)
    assert services.ticket_call_next(counter_id=counter(hall, 1).id, by=None).id == normal.id


def verify_from_record(ticket, level: int) -> None:
    """A member of ``level`` shows the card; a clerk of H1 checks identity (HAL-04)."""
    StarMember.objects.create(ref=f"M{ticket.id}", name="王", phone="13800001111", level=level)
    clerk = f.user(Role.HALL_STAFF, f"clerk{ticket.id}")
    post_set(user=clerk, hall_code="H1")
    ticket_verify_star(
        ticket_id=ticket.id, hall_code="H1", by=clerk, id_checked=True, member_card=f"M{ticket.id}"
    )


def test_a_verified_star_customer_is_called_first(hall, clock):
    issue()
    clock.advance(dt.timedelta(minutes=1))
    star = issue(star_claimed=7)
    verify_from_record(star, 7)
    clock.advance(dt.timedelta(minutes=2))  # 2/8 of the star target beats 3/30 of the normal one
    assert services.ticket_call_next(counter_id=counter(hall, 1).id, by=None).id == star.id
    assert NormCheck.objects.filter(norm_id="HAL-04", kept=True).exists()


def test_a_normal_customer_near_the_target_beats_a_fresh_star(hall, clock):
    old = issue()
    clock.advance(dt.timedelta(minutes=26))
    star = issue(star_claimed=6)
    verify_from_record(star, 6)
    assert services.ticket_call_next(counter_id=counter(hall, 1).id, by=None).id == old.id


def test_the_vulnerable_are_called_first(hall, clock):
    issue()
    clock.advance(dt.timedelta(minutes=1))
    elderly = issue(vulnerable=True)
    clock.advance(dt.timedelta(minutes=2))
    assert services.ticket_call_next(counter_id=counter(hall, 1).id, by=None).id == elderly.id


def test_waits_are_measured_against_the_class_target(hall, clock):
    t = issue()
    c = counter(hall, 1)
    clock.advance(dt.timedelta(minutes=31))
    services.ticket_call_next(counter_id=c.id, by=None)
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    assert list(NormCheck.objects.filter(norm_id="HAL-02").values_list("kept", flat=True)) == [
        False
    ]


def test_calling_on_a_closed_counter_is_refused(hall):
    issue()
    with pytest.raises(Conflict) as exc:
        services.ticket_call_next(counter_id=counter(hall, 2).id, by=None)
    assert exc.value.code == "counter.not_open"
    assert Ticket.objects.get().status == "waiting"


def test_finishing_twice_is_refused(hall):
    t = issue()
    services.ticket_call_next(counter_id=counter(hall, 1).id, by=None)
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    services.ticket_finish(ticket_id=t.id, hall_code="H1", by=None)
    with pytest.raises(Conflict):
        services.ticket_finish(ticket_id=t.id, hall_code="H1", by=None)


def test_a_ticket_from_another_hall_is_refused(hall):
    Hall.objects.create(code="H2", name="另一个厅")
    t = issue()
    with pytest.raises(NotFound) as exc:
        services.ticket_start(ticket_id=t.id, hall_code="H2", by=None)
    assert exc.value.field == "ticket_id"


def test_no_handover_mid_service_and_pending_replies_are_kept(hall):
    t = issue()
    c = counter(hall, 1)
    services.ticket_call_next(counter_id=c.id, by=None)
    nxt = f.user("hall_staff")
    with pytest.raises(RuleViolation) as exc:
        services.counter_handover(
            counter_id=c.id, to=nxt, pending_replies=["回复张先生的退费进度"], by=None
        )
    assert exc.value.rule == "HAL-10"
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    services.ticket_finish(ticket_id=t.id, hall_code="H1", by=None)
    services.counter_handover(
        counter_id=c.id, to=nxt, pending_replies=["回复张先生的退费进度"], by=None
    )
    assert Handover.objects.get().pending_replies == ["回复张先生的退费进度"]


def test_the_kiosk_api_issues_tickets(hall):
    _, raw = f.token(role="hall_staff")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    r = api.post(
        "/api/v1/halls/H1/tickets",
        data=json.dumps({"category": "B"}),
        content_type="application/json",
    )
    assert (r.status_code, r.json()["code"]) == (201, "B001")
    bad = api.post(
        "/api/v1/halls/H1/tickets",
        data=json.dumps({"category": "Z"}),
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "category")


@pytest.mark.django_db(transaction=True)
def test_fifty_kiosks_at_once_get_unique_gapless_numbers(clock):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    Hall.objects.create(code="H1", name="春熙路营业厅")
    _, raw = f.token(role="hall_staff")
    codes: list[str] = []
    errors: list[str] = []
    start = threading.Barrier(50)

    def kiosk() -> None:
        api = Client(headers={"Authorization": f"Bearer {raw}"})
        start.wait()
        r = api.post(
            "/api/v1/halls/H1/tickets",
            data=json.dumps({"category": "A"}),
            content_type="application/json",
        )
        (codes if r.status_code == 201 else errors).append(r.json().get("code", ""))
        connection.close()

    threads = [threading.Thread(target=kiosk) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(codes) == [f"A{i:03d}" for i in range(1, 51)]


def test_a_kiosk_asking_again_with_its_key_gets_the_same_ticket(hall):
    _, raw = f.token(role="hall_staff")
    api = Client(headers={"Authorization": f"Bearer {raw}"})

    def press(category: str, key: str | None):
        headers = {"Idempotency-Key": key} if key else {}
        return api.post(
            "/api/v1/halls/H1/tickets",
            data=json.dumps({"category": category}),
            content_type="application/json",
            headers=headers,
        )

    first = press("B", "kiosk-7-press-0001")
    again = press("B", "kiosk-7-press-0001")  # the answer was lost: the kiosk asks again
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and again.json()["code"] == "B001"
    other = press("A", "kiosk-7-press-0001")
    assert (other.status_code, other.json()["code"], other.json()["field"]) == (
        409,
        "idempotency.mismatch",
        "Idempotency-Key",
    )
    assert press("B", "kiosk-7-press-0002").json()["code"] == "B002"  # no gap, no double
    assert press("B", None).json()["code"] == "B003"
    assert Ticket.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_key_at_once_from_many_kiosks_issues_one_ticket(clock):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    Hall.objects.create(code="H1", name="春熙路营业厅")
    _, raw = f.token(role="hall_staff")
    answers: list[tuple[int, str]] = []
    start = threading.Barrier(30)

    def kiosk(key: str) -> None:
        api = Client(headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": key})
        start.wait()
        r = api.post(
            "/api/v1/halls/H1/tickets",
            data=json.dumps({"category": "A"}),
            content_type="application/json",
        )
        answers.append((r.status_code, r.json().get("code", "")))
        connection.close()

    keys = ["same-key-0001"] * 15 + [f"own-key-{i:04d}" for i in range(15)]
    threads = [threading.Thread(target=kiosk, args=(k,)) for k in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(status in (200, 201) for status, _ in answers), answers
    assert sorted(t.code for t in Ticket.objects.all()) == [f"A{i:03d}" for i in range(1, 17)]
    assert Ticket.objects.filter(idem_key="same-key-0001").count() == 1
    assert sum(status == 201 for status, _ in answers) == 16
