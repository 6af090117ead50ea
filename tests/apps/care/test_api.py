"""/api/v1/care: the desk signs agreements and agrees the next visit."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.care.models import ServiceAgreement
from guifan.apps.timers.services import timers_fire_due
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = {
    "customer_name": "李奶奶",
    "phone": "13912340000",
    "address": "成都市锦江区红星路3号",
    "area": "A01",
    "description": "居家养老上门关怀",
    "every_weeks": 1,
    "weekday": 2,
    "half_day": "am",
    "start": "2025-06-02",
}


def call(token, method, url, body=None):
    data = "" if body is None else json.dumps(body, ensure_ascii=False)
    return Client().generic(
        method,
        url,
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_dispatcher_signs_lists_and_agrees_the_next_visit(clock):
    _, token = f.token()
    resp = call(token, "POST", "/api/v1/care/agreements", BODY)
    assert resp.status_code == 201, resp.content
    made = resp.json()
    assert made["phone"] == "139****0000"  # SEC-01: masked
    assert (made["next_date"], made["next_sequence"], made["visits"]) == ("2025-06-04", 1, [])
    timers_fire_due(now=clock.now(), worker_id="test")
    listed = call(token, "GET", "/api/v1/care/agreements").json()
    assert [a["id"] for a in listed] == [made["id"]]
    visit = listed[0]["visits"][0]
    assert (visit["sequence"], visit["order_status"]) == (1, "received")
    by_order = call(token, "GET", f"/api/v1/care/agreements?order_id={visit['order_id']}").json()
    assert [a["id"] for a in by_order] == [made["id"]]
    url = f"/api/v1/care/agreements/{made['id']}/next-visit"
    resp = call(token, "POST", url, {"date": "2025-06-13", "half_day": "pm"})
    assert resp.status_code == 200, resp.content
    assert (resp.json()["next_date"], resp.json()["next_half_day"]) == ("2025-06-13", "pm")


def test_a_bad_body_is_refused_naming_the_field(clock):
    _, token = f.token()
    resp = call(token, "POST", "/api/v1/care/agreements", {**BODY, "every_weeks": 0})
    assert resp.status_code == 422
    assert resp.json()["field"] == "every_weeks"
    assert not ServiceAgreement.objects.exists()


def test_a_technician_may_not_sign(clock):
    _, token = f.token(Role.TECHNICIAN)
    assert call(token, "POST", "/api/v1/care/agreements", BODY).status_code == 403
    assert call(token, "GET", "/api/v1/care/agreements").status_code == 403


def test_an_order_id_beyond_a_database_id_is_refused_naming_it(clock):
    # Found by a deeper fuzz run: SQLite cannot bind the number (a 500 before).
    _, token = f.token()
    resp = call(token, "GET", f"/api/v1/care/agreements?order_id={10**25}")
    assert resp.status_code == 422, resp.content
    assert resp.json()["field"] == "order_id"
