"""Issue 13: activation (ORD-09), moves (ORD-10), joint visits (ORD-11), the kit check
(DSP-06) and the booking call's confirmations (APT-10), through the API where a person acts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.fieldwork.services.door import door_unanswered
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.models import Activation, KitCheck, VisitCrew, WorkOrder
from guifan.apps.orders.services.activations import activation_required_missing
from guifan.apps.orders.services.crew import visit_crew_plan
from guifan.apps.orders.services.kit import kit_items
from guifan.apps.orders.services.refusals import Refused
from guifan.apps.workforce.models import Shift
from guifan.clock import at_local
from tests import factories as f

pytestmark = pytest.mark.django_db
MON, TUE = dt.date(2025, 6, 2), dt.date(2025, 6, 4)  # TUE: the visit day


def verdicts(norm: str) -> list[bool]:
    return list(
        NormCheck.objects.filter(norm_id=norm).order_by("id").values_list("kept", flat=True)
    )


def client(role: str = Role.DISPATCHER) -> Client:
    f.area()
    _, raw = f.token(role)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(api: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return api.post(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", headers=headers
    )


def booked(order: WorkOrder, **book: Any) -> WorkOrder:
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "无"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    services.appointment_book(order_id=order.id, by=None, **book)
    return order


def dispatched(order: WorkOrder, tech_types: tuple[str, ...], arrival: dt.datetime) -> Any:
    tech = f.technician(work_types=tech_types)
    services.visit_assign(
        order_id=order.id, technician_id=tech.id, planned_arrival=arrival, by=None
    )
    return tech


def install_on_tuesday(clock: Any, **over: Any) -> WorkOrder:
    """A broadband install booked for the visit day's morning, assigned for 09:00; the clock
    at 08:30 that day."""
    order = booked(f.order(**over), day=TUE, half_day="am")
    dispatched(order, ("broadband_install",), at_local(TUE, "09:00"))
    clock.set(at_local(TUE, "08:30"))
    return WorkOrder.objects.get(id=order.id)


def step(order: WorkOrder, *actions: str) -> None:
    for action in actions:
        services.work_order_transition(order_id=order.id, action=action, by=None)


# --- ORD-09: activation from the network side ------------------------------------------------


def activate(order_id: int | None, key: str, **body: Any) -> Any:
    return post(
        client(Role.SYSTEM),
        "/provisioning/activations",
        {"order_id": order_id, "line": "ADSL-0288", **body},
        **{"Idempotency-Key": key},
    )


def test_activation_within_two_hours_of_the_only_arrival_keeps_ord09(clock):
    order = install_on_tuesday(clock)
    f.kit_ready(order.id)
    step(order, "depart")
    clock.set(at_local(TUE, "09:00"))
    step(order, "arrive")
    assert activation_required_missing(order) is not None
    clock.set(at_local(TUE, "10:40"))
    r = activate(order.id, "act-1")
    assert r.status_code == 201, r.content
    assert r.json()["order_id"] == order.id
    assert verdicts("ORD-09") == [True]
    assert activation_required_missing(order) is None


def test_activation_later_than_the_limit_breaks_ord09(clock):
    order = install_on_tuesday(clock)
    f.kit_ready(order.id)
    step(order, "depart")
    clock.set(at_local(TUE, "09:00"))
    step(order, "arrive")
    clock.set(at_local(TUE, "11:30"))
    assert activate(order.id, "act-late").status_code == 201
    assert verdicts("ORD-09") == [False]


def nobody_home(order: WorkOrder, tech: Any, clock: Any) -> None:
    """The technician arrived at 09:00, nobody opened: the door protocol sends it back."""
    tech.user = f.user(Role.TECHNICIAN)
    tech.save()
    knocks = [("knock", f"09:0{i // 2}:{'30' if i % 2 else '00'}") for i in range(7)]
    events = [*knocks, ("call", "09:03:40"), ("neighbour", "09:05")]
    clock.set(at_local(TUE, "09:10"))
    door_unanswered(
        order_id=order.id,
        events=[{"kind": k, "at": at_local(TUE, t).isoformat()} for k, t in events],
        note={"name": "张师傅", "phone": "13800001111", "left": at_local(TUE, "09:06").isoformat()},
        expected_version=WorkOrder.objects.get(id=order.id).version,
        by=tech.user,
    )


def test_a_second_visit_for_the_same_install_breaks_ord09_at_its_arrival(clock):
    order = install_on_tuesday(clock)
    f.kit_ready(order.id)
    step(order, "depart")
    clock.set(at_local(TUE, "09:00"))
    step(order, "arrive")
    nobody_home(order, WorkOrder.objects.get(id=order.id).technician, clock)
    assert WorkOrder.objects.get(id=order.id).status == "awaiting_appointment"
    thu = dt.date(2025, 6, 5)
    services.appointment_book(order_id=order.id, by=None, day=thu, half_day="pm")
    dispatched(order, ("broadband_install",), at_local(thu, "14:00"))
    clock.set(at_local(thu, "13:30"))
    f.kit_ready(order.id)
    step(order, "depart", "arrive")
    assert verdicts("ORD-09") == [False]
    clock.set(at_local(thu, "14:30"))
    assert activate(order.id, "act-2nd").status_code == 201
    assert verdicts("ORD-09") == [False]  # judged once, at the second arrival


def test_activation_twice_answers_with_the_first_record(clock):
    order = f.order()
    first = activate(order.id, "act-a")
    again = activate(order.id, "act-a")
    other_key = activate(order.id, "act-b", activated_at="2025-06-02T09:00:00+08:00")
    assert (first.status_code, again.status_code, other_key.status_code) == (201, 200, 200)
    assert first.json() == again.json() == other_key.json()
    assert Activation.objects.count() == 1


def test_an_activation_key_used_for_another_order_is_a_conflict(clock):
    one, two = f.order(), f.order()
    assert activate(one.id, "act-x").status_code == 201
    r = activate(two.id, "act-x")
    assert (r.status_code, r.json()["field"]) == (409, "Idempotency-Key")


def test_activation_of_an_unknown_order_is_refused_naming_the_field(clock):
    r = activate(987654, "act-unknown")
    assert (r.status_code, r.json()["field"]) == (404, "order_id")
    r = activate(None, "act-ext", external_id="CRM-NOPE")
    assert (r.status_code, r.json()["field"]) == (422, "external_id")
    assert not Activation.objects.exists()


def test_activation_by_external_id_and_without_a_key(clock):
    order = f.order()
    r = activate(None, "", external_id=order.intake_key)
    assert (r.status_code, r.json()["field"]) == (422, "Idempotency-Key")
    r = activate(None, "act-ext-ok", external_id=order.intake_key)
    assert (r.status_code, r.json()["order_id"]) == (201, order.id)


def test_a_repair_has_nothing_to_activate(clock):
    order = f.order(kind="repair")
    r = activate(order.id, "act-repair")
    assert (r.status_code, r.json()["rule"]) == (422, "ORD-09")
    assert activation_required_missing(order) is None


def test_only_the_provisioning_system_activates(clock):
    order = f.order()
    r = post(client(), "/provisioning/activations", {"order_id": order.id, "line": "L"})
    assert r.status_code == 403


# --- ORD-10: moves, new site first -----------------------------------------------------------


OLD = {"text": "成都市锦江区红星路9号", "lat": 30.66, "lon": 104.07, "area": "A01"}


def test_a_move_with_its_old_address_creates_the_linked_removal(clock):
    api = client()
    r = post(api, "/orders", f.order_body(kind="move", old_address=OLD))
    assert r.status_code == 201, r.content
    move = r.json()
    removal = WorkOrder.objects.get(linked_to_id=move["id"])
    assert move["linked_order_ids"] == [removal.id]
    assert (removal.kind, removal.address.text, removal.customer_id) == (
        "removal",
        OLD["text"],
        WorkOrder.objects.get(id=move["id"]).customer_id,
    )
    repeat = post(api, "/orders", f.order_body(kind="move", old_address=OLD, external_id="x"))
    assert repeat.status_code == 201
    body = f.order_body(kind="move", old_address=OLD)
    assert post(api, "/orders", body).status_code == 201
    assert post(api, "/orders", body).status_code == 200  # idempotent: no second removal
    assert WorkOrder.objects.filter(kind="removal").count() == 3


def test_a_move_without_an_old_address_is_one_order_as_before(clock):
    r = post(client(), "/orders", f.order_body(kind="move"))
    assert r.status_code == 201
    assert r.json()["linked_order_ids"] == [] and WorkOrder.objects.count() == 1


def test_an_old_address_on_an_install_is_refused(clock):
    r = post(client(), "/orders", f.order_body(old_address=OLD))
    assert (r.status_code, r.json()["field"], r.json()["rule"]) == (
        422,
        "old_address.text",
        "ORD-10",
    )


def test_the_removal_cannot_start_before_the_new_line_is_live(clock):
    move = f.order(kind="move", old_address=OLD["text"])
    removal = booked(WorkOrder.objects.get(linked_to=move), window_start=at_local(MON, "14:00"))
    dispatched(removal, ("broadband_move",), at_local(MON, "14:00"))
    f.kit_ready(removal.id)
    api = client()
    r = post(api, f"/orders/{removal.id}/transitions", {"action": "depart"})
    assert (r.status_code, r.json()["rule"], r.json()["field"]) == (422, "ORD-10", "action")
    assert WorkOrder.objects.get(id=removal.id).status == "dispatched"
    assert verdicts("ORD-10") == [False]  # the refused attempt is on record
    assert activate(move.id, "act-move").status_code == 201
    r = post(api, f"/orders/{removal.id}/transitions", {"action": "depart"})
    assert r.status_code == 200, r.content
    assert verdicts("ORD-10") == [False, True]


def test_cancelling_the_move_cancels_its_removal(clock):
    move = f.order(kind="move", old_address=OLD["text"])
    services.work_order_cancel(order_id=move.id, reason="客户取消", by=None)
    assert WorkOrder.objects.get(linked_to=move).status == "cancelled"


def removal_ready(clock: Any) -> WorkOrder:
    move = f.order(kind="move", old_address=OLD["text"])
    removal = booked(WorkOrder.objects.get(linked_to=move), window_start=at_local(MON, "14:00"))
    dispatched(removal, ("broadband_move",), at_local(MON, "14:00"))
    f.kit_ready(removal.id)
    return removal


def test_a_refused_service_call_records_its_refusal_once(clock):
    removal = removal_ready(clock)
    with pytest.raises(Refused) as refused:
        step(removal, "depart")
    refused.value.record_refusal()  # asked again (the API's error handler): no second row
    assert verdicts("ORD-10") == [False]


def test_a_refusal_rolled_back_by_the_callers_transaction_is_recorded_after_it(clock):
    removal = removal_ready(clock)
    with pytest.raises(Refused) as refused, transaction.atomic():
        step(removal, "depart")  # inside a caller's transaction, as the field trip step runs
    assert verdicts("ORD-10") == []  # the caller's rollback took the service's record along
    refused.value.record_refusal()  # what the API's error handler does with the error
    assert verdicts("ORD-10") == [False]


# --- ORD-11: all products in one joint visit --------------------------------------------------


def test_products_default_to_the_service_type_and_unknown_ones_are_refused(clock):
    api = client()
    r = post(api, "/orders", f.order_body())
    assert r.json()["products"] == ["broadband"]
    r = post(api, "/orders", f.order_body(products=["iptv", "broadband", "fixed_line"]))
    assert r.json()["products"] == ["broadband", "iptv", "fixed_line"]
    r = post(api, "/orders", f.order_body(products=["appliance"]))
    assert (r.status_code, r.json()["field"], r.json()["rule"]) == (422, "products", "ORD-11")


def joint_install(clock: Any) -> tuple[WorkOrder, Any]:
    order = booked(f.order(products=("broadband", "iptv")), day=TUE, half_day="am")
    lead = dispatched(order, ("broadband_install",), at_local(TUE, "09:00"))
    return order, lead


def test_the_planner_sends_a_certified_helper_with_the_lead_as_contact(clock):
    order, lead = joint_install(clock)
    helper = f.technician(work_types=("iptv_install",))
    Shift.objects.create(technician=helper, date=TUE, start=dt.time(8, 30), end=dt.time(17, 30))
    crew = visit_crew_plan(order_id=order.id, day=TUE, by=None)
    assert {(c.technician_id, c.is_contact) for c in crew} == {(lead.id, True), (helper.id, False)}
    assert verdicts("ORD-11") == [True]


def test_without_a_certified_helper_the_joint_visit_is_broken(clock):
    order, _lead = joint_install(clock)
    assert visit_crew_plan(order_id=order.id, day=TUE, by=None) == []
    assert verdicts("ORD-11") == [False]


def test_a_lead_certified_for_every_product_goes_alone(clock):
    order = booked(f.order(products=("broadband", "iptv")), day=TUE, half_day="am")
    lead = dispatched(order, ("broadband_install", "iptv_install"), at_local(TUE, "09:00"))
    crew = visit_crew_plan(order_id=order.id, day=TUE, by=None)
    assert [(c.technician_id, c.is_contact, c.products) for c in crew] == [
        (lead.id, True, ["broadband", "iptv"])
    ]
    assert verdicts("ORD-11") == [True]


def test_a_single_product_needs_no_crew(clock):
    order = booked(f.order(), day=TUE, half_day="am")
    dispatched(order, ("broadband_install",), at_local(TUE, "09:00"))
    assert visit_crew_plan(order_id=order.id, day=TUE, by=None) == []
    assert verdicts("ORD-11") == []


def test_a_multi_technician_crew_without_a_contact_is_refused_and_recorded(clock):
    order, lead = joint_install(clock)
    helper = f.technician(work_types=("iptv_install",))
    api = client()
    body = {"technician_ids": [lead.id, helper.id]}
    r = post(api, f"/visits/{order.id}/crew", body)
    assert (r.status_code, r.json()["field"], r.json()["rule"]) == (422, "contact_id", "ORD-11")
    assert not VisitCrew.objects.exists()
    assert verdicts("ORD-11") == [False]
    r = post(api, f"/visits/{order.id}/crew", {**body, "contact_id": helper.id})
    assert r.status_code == 200, r.content
    assert [c["is_contact"] for c in r.json()] == [False, True]
    assert verdicts("ORD-11") == [False, True]


def test_a_crew_leaving_a_product_uncovered_is_refused(clock):
    order, lead = joint_install(clock)
    r = post(client(), f"/visits/{order.id}/crew", {"technician_ids": [lead.id]})
    assert (r.status_code, r.json()["field"], r.json()["rule"]) == (
        422,
        "technician_ids",
        "ORD-11",
    )
    r = post(client(), f"/visits/{order.id}/crew", {"technician_ids": [lead.id, 99999]})
    assert (r.status_code, r.json()["field"]) == (404, "technician_ids")


# --- DSP-06: the kit check gates departure ----------------------------------------------------


def test_depart_without_a_kit_check_is_refused_naming_dsp06_and_recorded(clock):
    order = install_on_tuesday(clock)
    r = post(client(), f"/orders/{order.id}/transitions", {"action": "depart"})
    assert (r.status_code, r.json()["rule"], r.json()["field"]) == (422, "DSP-06", "kit_check")
    assert "鞋套" in r.json()["message"] and "shoe" not in r.json()["message"]
    assert WorkOrder.objects.get(id=order.id).status == "dispatched"
    assert verdicts("DSP-06") == [False]


def test_an_incomplete_check_names_what_is_missing_then_a_complete_one_lets_go(clock):
    order = install_on_tuesday(clock)
    api = client()
    items = dict.fromkeys(kit_items(order), True)
    items["five_ones:ground mat"] = False
    r = post(api, f"/visits/{order.id}/kit-check", {"items": items, "version": order.version})
    assert r.status_code == 201, r.content
    assert (r.json()["complete"], r.json()["missing"]) == (False, ["five_ones:ground mat"])
    r = post(api, f"/orders/{order.id}/transitions", {"action": "depart"})
    assert r.status_code == 422 and "垫布" in r.json()["message"]
    items["five_ones:ground mat"] = True
    assert post(api, f"/visits/{order.id}/kit-check", {"items": items}).json()["complete"]
    assert post(api, f"/orders/{order.id}/transitions", {"action": "depart"}).status_code == 200
    assert verdicts("DSP-06") == [False, True]
    listing = api.get(f"/api/v1/visits/{order.id}/kit-check").json()
    assert listing["required"] == kit_items(order) and listing["latest"]["complete"]


def test_yesterdays_check_does_not_count(clock):
    order = install_on_tuesday(clock)
    clock.set(at_local(MON, "18:00"))
    f.kit_ready(order.id)
    clock.set(at_local(TUE, "08:30"))
    r = post(client(), f"/orders/{order.id}/transitions", {"action": "depart"})
    assert (r.status_code, r.json()["rule"]) == (422, "DSP-06")


def test_a_kit_check_with_an_unknown_item_or_a_stale_version_is_refused(clock):
    order = install_on_tuesday(clock)
    api = client()
    r = post(api, f"/visits/{order.id}/kit-check", {"items": {"five_ones:hat": True}})
    assert (r.status_code, r.json()["field"]) == (422, "items.five_ones:hat")
    r = post(api, f"/visits/{order.id}/kit-check", {"items": {}, "version": order.version - 1})
    assert r.status_code == 409
    assert not KitCheck.objects.exists()


def test_a_repair_kit_lists_its_spares_and_each_product(clock):
    items = kit_items(f.order(kind="repair", products=("broadband", "iptv")))
    assert {"materials:broadband", "materials:iptv", "spares:修障备件"} <= set(items)
    assert "vehicle:车辆检查" in items


# --- APT-10: the booking call's confirmations -------------------------------------------------

ALL = {
    "at_home_contact_phone": "13800001111",
    "address": "春熙路1号3栋",
    "wiring_environment": "暗管入户",
    "charges": "初装费 0 元",
}


def call(api: Client, order_id: int, **body: Any) -> Any:
    base = {"channel": "call", "purpose": "first_contact", "outcome": "answered"}
    return post(api, f"/orders/{order_id}/contacts", {**base, **body})


def test_a_booking_call_confirming_everything_keeps_apt10_and_reads_mask_the_phone(clock):
    order, api = f.order(), client()
    r = call(api, order.id, confirmed=ALL)
    assert r.status_code == 201, r.content
    assert r.json()["confirmed"]["at_home_contact_phone"] == "138****1111"
    assert verdicts("APT-10") == [True]
    detail = api.get(f"/api/v1/orders/{order.id}").json()
    assert detail["contacts"][0]["confirmed"]["at_home_contact_phone"] == "138****1111"
    assert "13800001111" not in json.dumps(detail)


def test_a_booking_call_missing_a_field_breaks_apt10_but_is_recorded(clock):
    order, api = f.order(), client()
    partial = {k: v for k, v in ALL.items() if k != "wiring_environment"}
    assert call(api, order.id, confirmed=partial).status_code == 201
    assert call(api, order.id).status_code == 201
    assert verdicts("APT-10") == [False, False]
    assert "布线环境" in NormCheck.objects.filter(norm_id="APT-10").first().reason


def test_a_repair_booking_needs_no_wiring_or_charges(clock):
    order = f.order(kind="repair")
    confirmed = {"at_home_contact_phone": "13800001111", "address": "春熙路1号"}
    assert call(client(), order.id, confirmed=confirmed).status_code == 201
    assert verdicts("APT-10") == [True]


def test_an_unanswered_call_is_not_judged_and_a_bad_phone_is_refused(clock):
    order, api = f.order(), client()
    assert call(api, order.id, outcome="no_answer").status_code == 201
    assert verdicts("APT-10") == []
    r = call(api, order.id, confirmed={**ALL, "at_home_contact_phone": "12345"})
    assert (r.status_code, r.json()["field"]) == (422, "confirmed.at_home_contact_phone")
