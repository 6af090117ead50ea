"""HAL-04 from the record: tickets by phone or member card, staff verify identity and read the
level from the star record; a claim never gives priority; mismatches are recorded."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.classes import ticket_class
from guifan.apps.hall.greeting import customer_greet
from guifan.apps.hall.models import Counter, Hall, Ticket, TicketStatus
from guifan.apps.hall.verification import ticket_verify_star
from guifan.apps.norms.models import NormCheck, NormParameter
from guifan.apps.stars.models import StarMember
from guifan.errors import Conflict, RuleViolation, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db
PHONE7, PHONE5, PHONE4 = "13800007777", "13800005555", "13800004444"


@pytest.fixture
def hall(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=1, categories=["A", "B"], status="open")
    Hall.objects.create(code="H2", name="盐市口营业厅")
    for ref, phone, level in (("CRM-7", PHONE7, 7), ("CRM-5", PHONE5, 5), ("CRM-4", PHONE4, 4)):
        StarMember.objects.create(ref=ref, name="王五", phone=phone, level=level)
    return h


@pytest.fixture
def clerk(hall):
    return f.user(Role.HALL_STAFF, hall="H1")


def issue(category="A", **kw):
    return services.ticket_issue(by=None, hall_code="H1", category=category, **kw)


def verify(ticket, by, **kw):
    kw.setdefault("id_checked", True)
    return ticket_verify_star(ticket_id=ticket.id, hall_code="H1", by=by, **kw)


def hal04():
    return list(NormCheck.objects.filter(norm_id="HAL-04").order_by("id"))


# ---- issue ---------------------------------------------------------------------------------


def test_a_phone_finds_the_record_but_gives_no_priority_before_verification(hall):
    t = issue(phone=PHONE7)
    assert (t.star_ref, t.star_record, t.star_phone, t.star_verified) == (
        "CRM-7",
        7,
        "138****7777",
        None,
    )
    assert ticket_class(t) == "normal"  # priority only after staff verify (HAL-04)
    assert not Ticket.objects.filter(star_phone__contains="7777" * 2).exists()


def test_a_member_card_finds_the_record(hall):
    t = issue(member_card="CRM-5")
    assert (t.star_ref, t.star_record, t.star_phone) == ("CRM-5", 5, "138****5555")


def test_an_unknown_phone_is_a_normal_customer(hall):
    t = issue(phone="13912340000", star_claimed=6)
    assert (t.star_ref, t.star_record, t.star_phone, t.star_claimed) == ("", None, "139****0000", 6)
    assert ticket_class(t) == "normal"


def test_an_unknown_member_card_is_refused_naming_the_field(hall):
    with pytest.raises(ValidationFailed) as e:
        issue(member_card="CRM-404")
    assert e.value.field == "member_card" and e.value.rule is None
    with pytest.raises(ValidationFailed) as e:
        issue(member_card="CRM 1;drop")
    assert e.value.field == "member_card"
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("claimed", [-1, 8, 99])
def test_a_claimed_level_outside_0_to_7_is_refused(hall, claimed):
    with pytest.raises(ValidationFailed) as e:
        issue(star_claimed=claimed)
    assert e.value.field == "star_claimed"


def test_a_malformed_phone_names_the_field_and_breaks_no_norm(hall):
    with pytest.raises(ValidationFailed) as e:
        issue(phone="12345")
    assert (e.value.field, e.value.rule) == ("phone", None)


def test_a_phone_two_members_share_asks_for_the_card(hall):
    StarMember.objects.create(ref="CRM-7b", name="王六", phone=PHONE7, level=3)
    with pytest.raises(ValidationFailed) as e:
        issue(phone=PHONE7)
    assert e.value.field == "phone" and "会员卡" in e.value.message


def test_the_greeter_issues_by_phone_too(hall, clerk):
    t = customer_greet(hall_code="H1", route="counter", category="A", phone=PHONE5, by=clerk)
    assert t is not None and (t.star_ref, t.star_record) == ("CRM-5", 5)


# ---- verification ----------------------------------------------------------------------------


def test_verification_reads_the_record_and_gives_priority(hall, clerk):
    t = verify(issue(phone=PHONE7, star_claimed=7), clerk)
    assert (t.star_verified, t.star_record, t.star_mismatch) == (7, 7, False)
    assert t.star_verified_by == clerk and ticket_class(t) == "star67"
    [check] = hal04()
    assert check.kept and check.person == clerk.username
    assert check.detail == {
        "verification": True,
        "from_record": True,
        "claimed": 7,
        "record": 7,
        "priority": True,
        "mismatch": False,
        "msg": "hal04.from_record",
        "args": {"level": 7, "ticket": t.code},
    }


def test_verification_reads_the_record_now_not_the_level_at_issue(hall, clerk):
    t = issue(member_card="CRM-5")
    StarMember.objects.filter(ref="CRM-5").update(level=6)  # recomputed meanwhile
    assert verify(t, clerk).star_verified == 6


def test_a_claim_above_the_record_is_a_mismatch(hall, clerk):
    t = verify(issue(phone=PHONE5, star_claimed=7), clerk)
    assert (t.star_verified, t.star_mismatch, ticket_class(t)) == (5, True, "star5")
    [check] = hal04()
    assert check.kept and check.detail["mismatch"] and "自报 7 星" in check.reason


def test_a_claim_without_a_record_is_a_mismatch_and_no_priority(hall, clerk):
    t = verify(issue(star_claimed=6), clerk, phone="13912340000")
    assert (t.star_verified, t.star_record, t.star_mismatch) == (0, None, True)
    assert ticket_class(t) == "normal"
    [check] = hal04()
    assert check.detail["from_record"] is False and check.detail["mismatch"] is True


def test_a_level_below_the_catalog_minimum_gives_no_priority(hall, clerk, clock):
    t = verify(issue(phone=PHONE4), clerk)
    assert (t.star_record, t.star_verified, ticket_class(t)) == (4, 0, "normal")
    NormParameter.objects.create(
        norm_id="HAL-04", name="min_star_for_priority", value=6, updated_at=clock.now()
    )
    t = verify(issue(phone=PHONE5), clerk)
    assert (t.star_record, t.star_verified, ticket_class(t)) == (5, 0, "normal")


def test_the_card_shown_at_verification_decides(hall, clerk):
    t = verify(issue(phone="13912340000", star_claimed=5), clerk, member_card="CRM-5")
    assert (t.star_ref, t.star_verified, t.star_mismatch) == ("CRM-5", 5, False)


def test_without_the_identity_check_verification_is_refused_and_remembered(hall, clerk):
    t = issue(phone=PHONE7, star_claimed=7)
    with pytest.raises(RuleViolation) as e:
        verify(t, clerk, id_checked=False)
    assert (e.value.rule, e.value.field) == ("HAL-04", "id_checked")
    [refusal] = hal04()
    assert not refusal.kept and refusal.person == clerk.username
    t.refresh_from_db()
    assert t.star_verified is None and ticket_class(t) == "normal"


def test_a_level_keyed_in_is_refused(hall, clerk):
    t = issue(star_claimed=7)
    with pytest.raises(RuleViolation) as e:
        verify(t, clerk, star_level=7)
    assert (e.value.rule, e.value.field) == ("HAL-04", "star_level")
    assert [c.kept for c in hal04()] == [False]


def test_a_device_or_the_system_never_verifies(hall):
    t = issue(phone=PHONE7)
    kiosk = f.user(Role.SYSTEM)
    for by in (None, kiosk):
        with pytest.raises(RuleViolation) as e:
            verify(t, by)
        assert e.value.field == "by"
    assert Ticket.objects.get(id=t.id).star_verified is None


def test_verification_happens_once_and_only_before_the_end(hall, clerk):
    t = issue(phone=PHONE5)
    verify(t, clerk)
    with pytest.raises(Conflict):
        verify(t, clerk)
    done = issue(phone=PHONE5)
    Ticket.objects.filter(id=done.id).update(status=TicketStatus.DONE)
    with pytest.raises(Conflict):
        verify(done, clerk)


def test_a_transfer_keeps_the_verified_record(hall, clerk, clock):
    t = verify(issue(phone=PHONE7, star_claimed=6), clerk)
    counter = Counter.objects.get(number=1)
    services.ticket_call_next(counter_id=counter.id, by=None)
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    moved = services.ticket_transfer(ticket_id=t.id, hall_code="H1", category="B", by=None)
    assert (moved.star_ref, moved.star_record, moved.star_verified, moved.star_mismatch) == (
        "CRM-7",
        7,
        7,
        True,
    )
    assert moved.star_verified_by_id == clerk.id and ticket_class(moved) == "star67"


# ---- API ---------------------------------------------------------------------------------------


def api_as(role, hall="H1"):
    _, raw = f.token(role, hall=hall)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, path, body):
    return client.post(f"/api/v1/halls/H1{path}", json.dumps(body), content_type="application/json")


def test_the_api_issues_by_phone_and_verifies_from_the_record(hall, clock):
    staff = api_as(Role.HALL_STAFF)
    r = post(staff, "/tickets", {"category": "A", "phone": PHONE5, "star_claimed": 7})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["star_phone"], body["star_record"], body["star_verified"]) == (
        "138****5555",
        5,
        None,
    )
    assert PHONE5 not in r.content.decode()  # SEC-01
    v = post(staff, f"/tickets/{body['id']}/verify-star", {"id_checked": True})
    assert v.status_code == 200, v.json()
    assert (v.json()["star_verified"], v.json()["star_mismatch"]) == (5, True)


def test_the_api_names_the_field_of_bad_input(hall, clock):
    staff = api_as(Role.HALL_STAFF)
    r = post(staff, "/tickets", {"category": "A", "member_card": "CRM-404"})
    assert (r.status_code, r.json()["field"]) == (422, "member_card")
    r = post(staff, "/tickets", {"category": "A", "star_claimed": 9})
    assert (r.status_code, r.json()["field"]) == (422, "star_claimed")
    r = post(staff, "/greetings", {"route": "counter", "category": "A", "phone": "abc"})
    assert (r.status_code, r.json()["field"]) == (422, "phone")
    assert not NormCheck.objects.filter(kept=False).exists()  # bad input breaks no norm


def test_the_api_refuses_a_level_keyed_in_or_no_identity_check(hall, clock):
    staff = api_as(Role.HALL_STAFF)
    tid = post(staff, "/tickets", {"category": "A", "star_claimed": 7}).json()["id"]
    r = post(staff, f"/tickets/{tid}/verify-star", {"star_level": 7, "id_checked": True})
    assert (r.status_code, r.json()["rule"], r.json()["field"]) == (422, "HAL-04", "star_level")
    r = post(staff, f"/tickets/{tid}/verify-star", {})
    assert (r.status_code, r.json()["rule"], r.json()["field"]) == (422, "HAL-04", "id_checked")
    assert [c.kept for c in hal04()] == [False, False]  # each refusal remembered once


def test_a_kiosk_token_cannot_verify(hall, clock):
    kiosk = api_as(Role.SYSTEM)
    tid = post(kiosk, "/tickets", {"category": "A", "phone": PHONE7}).json()["id"]
    r = post(kiosk, f"/tickets/{tid}/verify-star", {"id_checked": True})
    assert r.status_code == 403
    assert Ticket.objects.get(id=tid).star_verified is None


def test_staff_of_another_hall_get_404(hall, clock):
    tid = issue(phone=PHONE7).id
    other = api_as(Role.HALL_STAFF, hall="H2")
    r = post(other, f"/tickets/{tid}/verify-star", {"id_checked": True})
    assert r.status_code == 404
    assert not hal04()


def test_waiting_time_is_measured_against_the_verified_class(hall, clerk, clock):
    t = verify(issue(phone=PHONE7), clerk)
    clock.advance(dt.timedelta(minutes=9))
    services.ticket_call_next(counter_id=Counter.objects.get(number=1).id, by=None)
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    [hal02] = NormCheck.objects.filter(norm_id="HAL-02")
    assert not hal02.kept  # 9 minutes > the 8 of a verified 7-star customer
