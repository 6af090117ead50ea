"""Refusals of enforced norms are remembered: who tried, what they tried, once (issue 14.5)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.refusals import attempted_values, refusal_note
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment
from guifan.clock import at_local
from guifan.errors import NotFound, RuleViolation, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)  # the clock fixture stands at Monday 10:00


def awaiting():
    order = f.order()
    services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    return order


def refusals(norm_id: str):
    return list(NormCheck.objects.filter(norm_id=norm_id, detail__has_key="refusal"))


def test_a_dispatcher_who_tries_to_book_21_00_is_remembered_with_the_window(clock):
    order = awaiting()
    dispatcher, raw = f.token()
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    start = at_local(MON + dt.timedelta(days=3), "21:00")
    r = api.post(
        f"/api/v1/orders/{order.id}/appointments",
        data=json.dumps({"window_start": start.isoformat()}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["rule"] == "APT-03"
    assert not Appointment.objects.exists()
    [row] = refusals("APT-03")
    assert not row.kept and row.order_id == order.id and row.area_code == "A01"
    assert row.person == dispatcher.username
    assert row.detail["actor"] == f"dispatcher:{dispatcher.username}"
    assert row.detail["attempted"]["window_start"].startswith(start.date().isoformat())
    assert row.detail["code"] and row.detail["field"]


def test_a_service_refusal_is_recorded_once_however_often_it_is_asked(clock):
    order = awaiting()
    tech = f.user("dispatcher", "desk2")
    start = at_local(MON + dt.timedelta(days=3), "21:00")
    with pytest.raises(RuleViolation) as caught:
        services.appointment_book(order_id=order.id, by=tech, window_start=start)
    caught.value.record_refusal()  # type: ignore[attr-defined]
    caught.value.record_refusal()  # type: ignore[attr-defined]
    assert len(refusals("APT-03")) == 1


def test_only_a_rule_of_an_enforced_norm_is_a_refusal(clock):
    user = f.user("dispatcher", "desk3")
    measured = ValidationFailed("x.y", "测试", field="f", rule="ORD-09")  # measured norm
    missing = NotFound("order.not_found", "工单不存在", field="order_id", rule="APT-03")
    nameless = ValidationFailed("x.z", "测试", field="f")
    for exc in (measured, missing, nameless):
        refusal_note(exc, by=user, attempted={"a": 1})
    assert not NormCheck.objects.exists()
    refusal_note(RuleViolation("x.w", "测试", rule="APT-03"), by=user, attempted={})
    assert len(refusals("APT-03")) == 1


def test_attempted_values_mask_phones_and_stay_bounded():
    values = attempted_values({"phone": "13812345678", "note": "x" * 5000, "by": object()})
    assert "by" not in str(values)
    assert "13812345678" not in json.dumps(values)
    assert len(json.dumps(values, ensure_ascii=False)) < 1100
    assert attempted_values({"contact": {"phone": "13812345678"}}) == {
        "contact": {"phone": "138****5678"}
    }


def test_attempted_values_drop_characters_the_database_cannot_store():
    values = attempted_values({"na\x00me": "张\x00三", "rows": [{"k\ud800": "v"}]})
    text = json.dumps(values, ensure_ascii=False)
    assert "\x00" not in text and "\\u0000" not in text and "\ud800" not in text
