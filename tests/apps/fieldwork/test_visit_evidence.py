"""Evidence, not ticks (issue 13): each norm's evidence checked, refusals recorded, and one way
to complete an on-site visit — through the API, the services and the offline sync."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.accounts.services import api_token_create
from guifan.apps.fieldwork import services
from guifan.apps.fieldwork.models import StepRecord
from guifan.apps.fieldwork.services.door import door_unanswered
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.services import work_order_transition
from guifan.clock import at_local
from guifan.errors import RuleViolation, ValidationFailed
from tests.apps.fieldwork.visits import MON, field_user, field_visit, on_site
from tests.visits import good_evidence, png_bytes, steps_record

pytestmark = pytest.mark.django_db


def checks(order, norm):
    return list(
        NormCheck.objects.filter(order=order, norm_id=norm)
        .order_by("id")
        .values_list("kept", flat=True)
    )


def api(user):
    token = api_token_create(user=user, name="phone")
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(client, path, body):
    r = client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")
    return r.status_code, r.json() if r.content else None


def step(user, order, norm, evidence=None, outcome="done"):
    return services.checklist_step_record(
        order_id=order.id,
        norm_id=norm,
        outcome=outcome,
        evidence=evidence,
        expected_version=order.version,
        by=user,
    )


@pytest.fixture
def visit(clock):
    user = field_user()
    order = on_site(user, field_visit(user, plan_mbps=300))
    step(user, order, "VIS-04")
    return user, order


# one way to complete ---------------------------------------------------------------------
def test_the_generic_transition_cannot_complete_an_on_site_visit_and_the_attempt_counts(visit):
    user, order = visit
    c = api(user)
    status, body = post(c, f"/orders/{order.id}/transitions", {"action": "complete"})
    assert status == 422
    assert body["code"] == "visit.use_checklist" and body["rule"].startswith("VIS-")
    # Words a person reads on any page; the endpoints are in the API document.
    assert "VIS-17" in body["message"] and "现场服务" in body["message"]
    assert "/api/" not in body["message"]
    order.refresh_from_db()
    assert order.status == "on_site"
    assert checks(order, "VIS-17") == [False]  # the attempt to skip the work sheet is recorded
    # nor can the generic transition send the visit back to booking (abandon it)
    with pytest.raises(RuleViolation):
        work_order_transition(order_id=order.id, action="await_appointment", by=user)


def test_completion_lists_the_missing_evidence_and_records_the_refusal(visit):
    user, order = visit
    c = api(user)
    status, body = post(c, f"/visits/{order.id}/complete", {"version": order.version})
    assert status == 422 and body["code"] == "visit.incomplete"
    missing = {m["norm"] for m in body["missing"]}
    assert {"VIS-08", "VIS-13", "VIS-14", "VIS-17"} <= missing
    assert checks(order, "VIS-13") == [False]
    steps_record(order.id)
    status, body = post(c, f"/visits/{order.id}/complete", {"version": order.version})
    assert status == 200 and body["status"] == "completed"
    assert checks(order, "VIS-13") == [False, True]


def test_a_step_the_technician_never_recorded_breaks_its_norm_at_completion(visit):
    user, order = visit
    steps_record(order.id)
    services.field_visit_complete(order_id=order.id, expected_version=order.version, by=user)
    assert checks(order, "VIS-16") == [False]  # assisted, never recorded
    assert set(checks(order, "VIS-04")) == {True}


def test_completing_from_the_page_needs_the_checklist_too(visit):
    user, order = visit
    c = Client()
    c.force_login(user)
    r = c.post(f"/t/o/{order.id}/complete/", {"version": order.version}, follow=True)
    order.refresh_from_db()
    assert order.status == "on_site"
    assert "VIS-13" in r.content.decode()


# evidence per norm -----------------------------------------------------------------------
def test_a_mandatory_step_needs_its_evidence(visit):
    user, order = visit
    with pytest.raises(ValidationFailed) as exc:
        step(user, order, "VIS-17")
    assert exc.value.field == "evidence" and exc.value.rule == "VIS-17"


def test_the_modem_label_needs_the_broadband_number_and_is_kept_masked(visit):
    user, order = visit
    label = good_evidence("modem_label", order, user)
    bad = {k: v for k, v in label.items() if k != "broadband_number"}
    with pytest.raises(ValidationFailed) as exc:
        step(user, order, "VIS-13", bad)
    assert exc.value.field == "evidence.broadband_number" and exc.value.rule == "VIS-13"
    record = step(user, order, "VIS-13", label)
    assert record.evidence["broadband_number"] == "02********89"
    assert "Ab123456" not in json.dumps(record.evidence)
    assert record.evidence["initial_password"] == "********"
    assert checks(order, "VIS-13") == [False, True]  # the label without its number counted


def test_a_label_without_its_photo_is_recorded_but_breaks_the_norm(visit):
    user, order = visit
    label = {**good_evidence("modem_label", order, user), "photo_id": None}
    step(user, order, "VIS-13", label)
    assert checks(order, "VIS-13") == [False]


def test_a_photo_of_another_order_is_not_evidence(visit, clock):
    user, order = visit
    other_user = field_user("tech2")
    other = on_site(
        other_user, field_visit(other_user, window="14:00", arrival="13:50", departure="13:30")
    )
    photo = services.visit_photo_add(
        order_id=other.id, data=png_bytes(), content_type="image/png", by=other_user
    )
    label = {**good_evidence("modem_label", order, user), "photo_id": photo.id}
    with pytest.raises(ValidationFailed) as exc:
        step(user, order, "VIS-13", label)
    assert exc.value.field == "evidence.photo_id"


@pytest.mark.parametrize("speed", [-1, 1000.5, float("nan"), "fast", True])
def test_a_speed_below_zero_above_the_line_rate_or_not_a_number_is_refused(visit, speed):
    user, order = visit
    test = {**good_evidence("test_together", order, user), "speed_mbps": speed}
    with pytest.raises(ValidationFailed) as exc:
        step(user, order, "VIS-14", test)
    assert exc.value.field == "evidence.speed_mbps" and exc.value.rule == "VIS-14"


def test_a_speed_below_the_subscribed_rate_blocks_completion_until_the_retest(visit):
    user, order = visit
    steps_record(order.id)
    slow = {**good_evidence("test_together", order, user), "speed_mbps": 180.0}
    record = step(user, order, "VIS-14", slow)
    assert record.blocks and "低于签约带宽 300 Mbps" in record.shortfalls[0]
    with pytest.raises(ValidationFailed) as exc:
        services.field_visit_complete(order_id=order.id, expected_version=order.version, by=user)
    assert exc.value.rule == "VIS-14" and "带回维修" in exc.value.message
    step(user, order, "VIS-14", good_evidence("test_together", order, user))
    done = services.field_visit_complete(order_id=order.id, expected_version=order.version, by=user)
    assert done.status == "completed"
    # the slow test, the refused completion and the passing retest each count
    assert checks(order, "VIS-14") == [True, False, False, True]


def test_a_charge_without_consent_is_refused_and_the_attempt_recorded(visit):
    user, order = visit
    charge = {
        "boundary_explained": True,
        "warranty": "out",
        "charges": [{"code": "SVC-ROUTER", "qty": 1}],
        "consent": False,
        "receipt": "receipt",
    }
    with pytest.raises(ValidationFailed) as exc:
        step(user, order, "VIS-08", charge)
    assert exc.value.field == "evidence.consent"
    assert checks(order, "VIS-08") == [False]
    record = step(user, order, "VIS-08", {**charge, "consent": True})
    assert record.evidence["total"] == 30.0
    assert checks(order, "VIS-08") == [False, True]


def test_the_lower_of_tariff_and_warranty_card_wins_and_warranty_work_is_free(visit):
    user, order = visit
    charge = {
        "boundary_explained": True,
        "warranty": "out",
        "charges": [{"code": "LAB-REPAIR", "qty": 1, "warranty_card_amount": 35}],
        "consent": True,
        "receipt": "invoice",
    }
    assert step(user, order, "VIS-08", charge).evidence["total"] == 35.0
    free = {**charge, "warranty": "in"}
    assert step(user, order, "VIS-08", free).evidence["total"] == 0.0
    with pytest.raises(ValidationFailed) as exc:
        step(user, order, "VIS-08", {**charge, "charges": [{"code": "NOPE"}]})
    assert exc.value.field == "evidence.charges[0].code"


def test_the_self_check_measures_the_staff_norms(visit):
    user, order = visit
    ev = good_evidence("self_check", order, user)
    ev["items"]["badge"] = False
    step(user, order, "VIS-01", ev)
    assert checks(order, "VIS-01") == [False]
    assert checks(order, "STF-02") == [False] and checks(order, "STF-01") == [True]


def test_work_before_the_badge_and_order_check_is_refused_and_counted(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    with pytest.raises(RuleViolation):
        step(user, order, "VIS-05")
    assert checks(order, "VIS-04") == [False]


# nobody answers (VIS-03) ---------------------------------------------------------------
def door(user, order, events, left):
    return door_unanswered(
        order_id=order.id,
        events=[{"kind": k, "at": at_local(MON, t).isoformat()} for k, t in events],
        note={"name": "张师傅", "phone": "13800001111", "left": at_local(MON, left).isoformat()},
        expected_version=order.version,
        by=user,
    )


KNOCKS = [("knock", f"10:{32 + i // 2}:{'30' if i % 2 else '00'}") for i in range(7)]


def test_the_door_protocol_kept_goes_back_to_booking_with_the_note(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    clock.set(at_local(MON, "10:45"))
    record = door(user, order, [*KNOCKS, ("call", "10:35:40"), ("neighbour", "10:38")], "10:40")
    order.refresh_from_db()
    assert order.status == "awaiting_appointment"
    assert checks(order, "VIS-03") == [True]
    assert (
        "10:40" in record.evidence["note"]["text"] and "张师傅" in record.evidence["note"]["text"]
    )
    assert record.evidence["note"]["phone"] == "13*******11"


def test_calling_before_the_wait_and_no_neighbour_break_vis03(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    clock.set(at_local(MON, "10:45"))
    door(user, order, [*KNOCKS[:3], ("call", "10:33:10")], "10:36")
    assert checks(order, "VIS-03") == [False]
    reason = NormCheck.objects.get(order=order, norm_id="VIS-03").reason
    assert "未等满 3 分钟" in reason and "邻居" in reason


def test_door_times_must_be_after_arrival_and_not_in_the_future(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    clock.set(at_local(MON, "10:45"))
    with pytest.raises(ValidationFailed) as exc:
        door(user, order, [("knock", "11:30")], "11:40")
    assert exc.value.field == "events[0].at"
    with pytest.raises(ValidationFailed) as exc:
        door(user, order, [("knock", "10:35"), ("bang", "10:36")], "10:40")
    assert exc.value.field == "evidence.events[1].kind"
    assert not StepRecord.objects.filter(order=order).exists()


def test_the_visit_api_reads_the_checklist_with_what_is_missing(visit):
    user, order = visit
    c = api(user)
    r = c.get(f"/api/v1/visits/{order.id}")
    assert r.status_code == 200
    data = r.json()
    assert data["plan_mbps"] == 300
    steps = {s["norm_id"]: s for s in data["steps"]}
    assert steps["VIS-13"]["evidence"] == "modem_label"
    assert steps["VIS-04"]["last"]["outcome"] == "done"
    assert {m["norm"] for m in data["missing"]} >= {"VIS-13", "VIS-14", "VIS-17"}


def test_photos_through_the_api_must_decode(visit):
    user, order = visit
    c = api(user)
    good = base64.b64encode(png_bytes()).decode()
    status, body = post(
        c, f"/visits/{order.id}/photos", {"content_type": "image/png", "data_base64": good}
    )
    assert status == 201
    status, body = post(
        c, f"/visits/{order.id}/photos", {"content_type": "image/png", "data_base64": "!!"}
    )
    assert status == 422 and body["field"] == "data_base64"


def test_the_fee_table_is_published(visit):
    user, _ = visit
    r = api(user).get("/api/v1/visits/fees")
    codes = {f["code"] for f in r.json()}
    assert {"LAB-REPAIR", "ADJ-WIFI"} <= codes


def test_free_adjustment_within_a_month_of_the_install(clock):
    from guifan.norms.evidence import Fee, OrderFacts, fee_total

    fees = {"ADJ-WIFI": Fee("ADJ-WIFI", "无线组网调整", 40, "adjustment")}
    facts = OrderFacts(
        "broadband", "repair", installed_on=dt.date(2025, 5, 20), today=dt.date(2025, 6, 2)
    )
    lines, total = fee_total(
        [{"code": "ADJ-WIFI"}], fees, facts, warranty="none", free_adjust_days=30
    )
    assert total == 0 and "30 天内免费" in lines[0]["free_because"]
    late = OrderFacts(
        "broadband", "repair", installed_on=dt.date(2025, 3, 1), today=dt.date(2025, 6, 2)
    )
    assert (
        fee_total([{"code": "ADJ-WIFI"}], fees, late, warranty="none", free_adjust_days=30)[1] == 40
    )
