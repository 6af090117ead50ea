"""Cases: QA-02 follow-ups until the customer confirms, QA-03 complaints, QA-05 alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.cases.models import Case, CaseKind, Escalation, OrderAlert
from guifan.apps.fieldwork.models import VisitRating, VisitSignature
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.apps.orders.signals import dissatisfied, order_moved
from guifan.apps.timers.services import timers_fire_due

pytestmark = pytest.mark.django_db


def api(city, role):
    return Client(headers={"Authorization": f"Bearer {city.tokens[role]}"})


def verdicts(norm):
    return list(
        NormCheck.objects.filter(norm_id=norm).order_by("id").values_list("kept", flat=True)
    )


def unhappy(city, source="rating"):
    order = WorkOrder.objects.get(id=city.own.order_id)
    dissatisfied.send(
        sender=None,
        order=order,
        source=source,
        reason="客户评分 2 分",
        at=city.clock.now(),
        by=city.own.technician_user,
        detail={"score": 2},
    )
    return Case.objects.get(order=order, source=source)


def fire(city, hours):
    city.clock.advance(dt.timedelta(hours=hours))
    timers_fire_due(now=city.clock.now(), worker_id="t")


# --- QA-02 ---------------------------------------------------------------------------------


def test_an_unhappy_rating_opens_one_case_owned_by_who_heard_it(city):
    case = unhappy(city)
    unhappy(city)  # the same order and source: the same case
    assert Case.objects.filter(kind=CaseKind.DISSATISFIED).count() == 1
    assert (case.owner, case.status, case.channel) == (city.own.technician_user, "open", "field")
    assert case.next_contact_at == city.clock.now() + dt.timedelta(hours=24)
    unhappy(city, source="signature")
    assert Case.objects.filter(kind=CaseKind.DISSATISFIED).count() == 2


def test_closing_without_the_customers_confirmation_is_refused_naming_qa02(city):
    case = unhappy(city)
    q = api(city, Role.QUALITY)
    r = q.post(
        f"/api/v1/cases/{case.id}/close", {"outcome": "已处理"}, content_type="application/json"
    )
    assert r.status_code == 422
    body = r.json()
    assert "QA-02" in str(body) and "confirmation" in str(body)
    assert Case.objects.get(id=case.id).status == "open"


def test_a_confirmed_case_closes_in_time_and_keeps_qa02(city):
    case = unhappy(city)
    q = api(city, Role.QUALITY)
    city.clock.advance(dt.timedelta(hours=5))
    r = q.post(
        f"/api/v1/cases/{case.id}/contacts",
        {"reached": True, "satisfied": True, "who": "张先生", "via": "phone", "note": "已重新调试"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["confirmed_by"] == "张先生"
    r = q.post(
        f"/api/v1/cases/{case.id}/close", {"outcome": "客户满意"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert verdicts("QA-02") == [True]
    actions = [e["action"] for e in q.get(f"/api/v1/cases/{case.id}").json()["events"]]
    assert actions == ["opened", "contact", "confirmed", "closed", "verdict"]


def test_missed_recontacts_climb_the_ladder_and_break_qa02_once(city):
    case = unhappy(city)
    fire(city, 23)
    assert Case.objects.get(id=case.id).escalation == Escalation.NONE
    fire(city, 1.5)  # a day without a re-contact: to the team leader
    c = Case.objects.get(id=case.id)
    assert (c.missed_contacts, c.escalation) == (1, Escalation.TEAM)
    fire(city, 48.5)  # three missed days: to the quality centre
    c = Case.objects.get(id=case.id)
    assert (c.missed_contacts, c.escalation) == (3, Escalation.CENTRE)
    assert verdicts("QA-02") == [False]


def test_a_recontact_resets_the_clock_but_the_target_still_counts(city):
    case = unhappy(city)
    q = api(city, Role.QUALITY)
    for _ in range(4):
        city.clock.advance(dt.timedelta(hours=20))
        q.post(
            f"/api/v1/cases/{case.id}/contacts", {"reached": False}, content_type="application/json"
        )
        timers_fire_due(now=city.clock.now(), worker_id="t")
    c = Case.objects.get(id=case.id)
    assert (c.missed_contacts, c.escalation) == (0, 0)
    assert verdicts("QA-02") == [False]  # 72 h passed without the customer's confirmation


def test_a_revisit_is_booked_from_a_case_through_intake(city):
    case = unhappy(city)
    r = api(city, Role.QUALITY).post(
        f"/api/v1/cases/{case.id}/revisit", {"note": "再次上门"}, content_type="application/json"
    )
    assert r.status_code == 201
    new = WorkOrder.objects.get(id=r.json()["order_id"])
    old = WorkOrder.objects.get(id=city.own.order_id)
    assert (new.kind, new.address.text, new.customer.phone) == (
        "repair",
        old.address.text,
        old.customer.phone,
    )


# --- QA-03 ---------------------------------------------------------------------------------

STEPS = ["apologise", "listen fully", "record", "solution or time limit"]


def test_a_technician_records_a_complaint_on_his_order_and_owns_it(city):
    t = api(city, Role.TECHNICIAN)
    body = {"summary": "上次装机师傅迟到两小时", "steps": STEPS}
    r = t.post(
        f"/api/v1/orders/{city.own.order_id}/complaints", body, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    out = r.json()
    assert (out["kind"], out["owner"], out["steps"]) == ("QA-03", "tech_a01", STEPS)
    assert "****" in out["phone"]
    case_id = out["id"]
    r = t.post(
        f"/api/v1/cases/{case_id}/steps",
        {"steps": ["apologise again", "farewell"]},
        content_type="application/json",
    )
    assert r.status_code == 200
    r = t.post(
        f"/api/v1/cases/{case_id}/close",
        {"outcome": "已道歉并说明", "status": "replied"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert verdicts("QA-03") == [True]


def test_a_complaint_with_steps_missing_or_past_its_promise_breaks_qa03(city):
    q = api(city, Role.QUALITY)
    r = q.post(
        f"/api/v1/orders/{city.own.order_id}/complaints",
        {"summary": "费用有误", "steps": STEPS},
        content_type="application/json",
    )
    q.post(
        f"/api/v1/cases/{r.json()['id']}/close",
        {"outcome": "已答复", "status": "replied"},
        content_type="application/json",
    )
    r = q.post(
        f"/api/v1/orders/{city.own.order_id}/complaints",
        {"summary": "态度差", "steps": STEPS},
        content_type="application/json",
    )
    fire(city, 25)
    assert verdicts("QA-03") == [False, False]


def test_a_complaint_on_an_order_that_is_not_yours_is_not_found(city):
    t = api(city, Role.TECHNICIAN)
    r = t.post(
        f"/api/v1/orders/{city.other.order_id}/complaints",
        {"summary": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404
    d = api(city, Role.DISPATCHER)
    r = d.post(
        f"/api/v1/orders/{city.other.order_id}/complaints",
        {"summary": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert not Case.objects.filter(kind="QA-03").exists()


def test_an_unknown_step_is_refused(city):
    t = api(city, Role.TECHNICIAN)
    r = t.post(
        f"/api/v1/orders/{city.own.order_id}/complaints",
        {"summary": "x", "steps": ["argue"]},
        content_type="application/json",
    )
    assert r.status_code == 422 and "QA-03" in str(r.json())


# --- QA-05 ---------------------------------------------------------------------------------


def test_an_unknown_alert_kind_is_refused(city):
    r = api(city, Role.QUALITY).post(
        f"/api/v1/orders/{city.own.order_id}/alerts",
        {"kind": "panic"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "kind" in str(r.json())
    assert not OrderAlert.objects.exists()


def test_a_technician_reports_a_complaint_risk_at_once_and_keeps_qa05(city):
    t = api(city, Role.TECHNICIAN)
    r = t.post(
        f"/api/v1/orders/{city.own.order_id}/alerts",
        {"kind": "complaint_risk", "note": "客户情绪激动"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["verdict_kept"] is True
    assert OrderEvent.objects.filter(order_id=city.own.order_id, action="priority_alert").exists()
    assert (
        t.post(
            f"/api/v1/orders/{city.own.order_id}/alerts",
            {"kind": "chaser"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        t.post(
            f"/api/v1/orders/{city.other.order_id}/alerts",
            {"kind": "hard_fault"},
            content_type="application/json",
        ).status_code
        == 404
    )


def _complete_with(city, score, signed):
    order = WorkOrder.objects.get(id=city.own.order_id)
    now = city.clock.now()
    VisitRating.objects.create(order=order, score=score, at=now)
    if signed:
        VisitSignature.objects.create(order=order, png=b"x", at=now, by=city.own.technician_user)
    order_moved.send(
        sender=WorkOrder,
        order=order,
        action="complete",
        from_status="on_site",
        to_status="completed",
        at=now,
        by=city.own.technician_user,
    )


@pytest.mark.parametrize(
    ("score", "signed", "kept"), [(5, True, True), (2, True, False), (5, False, False)]
)
def test_a_chaser_is_judged_at_the_visits_completion(city, score, signed, kept):
    r = api(city, Role.QUALITY).post(
        f"/api/v1/orders/{city.own.order_id}/alerts",
        {"kind": "chaser"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["verdict_kept"] is None
    _complete_with(city, score, signed)
    assert verdicts("QA-05") == [kept]
