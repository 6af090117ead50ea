"""Text from outside is bounded by its column and free of NUL and lone surrogates (422, never 500)."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client

from guifan.apps.customers.models import Customer
from guifan.apps.orders.models import ResourceRegister, WorkOrder
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, path, body, **headers):
    return client.post(
        path, data=json.dumps(body), content_type="application/json", headers=headers
    )


def with_customer(**over):
    body = f.order_body()
    body["customer"].update(over)
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (with_customer(name="张" * 51), "customer.name"),
        (with_customer(name="x" * 10_000), "customer.name"),
        (with_customer(title="先" * 11), "customer.title"),
        (
            f.order_body(address={"text": "路" * 201, "lat": 30.6, "lon": 104.0, "area": "A01"}),
            "address.text",
        ),
        (f.order_body(requested_time="上" * 101), "requested_time"),
        (f.order_body(external_id="e" * 201), "external_id"),
    ],
)
def test_a_text_longer_than_its_column_is_refused_naming_the_field(api, body, field):
    r = post(api, "/api/v1/orders", body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\udfff"])
@pytest.mark.parametrize(
    ("place", "field"),
    [
        ("name", "customer.name"),
        ("title", "customer.title"),
        ("description", "description"),
        ("address", "address.text"),
    ],
)
def test_nul_and_lone_surrogates_are_refused_naming_the_field(api, bad, place, field):
    body = f.order_body()
    if place in ("name", "title"):
        body["customer"][place] = f"张{bad}三"
    elif place == "address":
        body["address"]["text"] = f"春熙路{bad}1号"
    else:
        body[place] = f"宽带{bad}"
    r = post(api, "/api/v1/orders", body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert not Customer.objects.exists()


def test_a_nul_in_the_idempotency_key_header_is_refused(api):
    r = post(api, "/api/v1/orders", f.order_body(), **{"Idempotency-Key": "ab\x00c"})
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "Idempotency-Key"
    assert not WorkOrder.objects.exists()


def test_a_nul_in_a_query_string_is_refused_naming_the_parameter(api):
    r = api.get("/api/v1/orders", {"status": "received\x00"})
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "status"


def test_a_nul_in_a_path_parameter_is_refused(clock):
    _, raw = f.token("hall_staff")
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    r = post(c, "/api/v1/halls/H%00A/tickets", {"category": "A"})
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "hall"


def test_a_lone_surrogate_in_a_free_map_is_refused(api):
    order = f.order()
    r = post(api, f"/api/v1/orders/{order.id}/analysis", {"analysis": {"cause": "光\ud800猫"}})
    assert r.status_code == 422, r.content
    assert r.json()["field"].startswith("analysis")


def test_a_resource_line_longer_than_its_column_is_refused(api):
    order = f.order()
    body = {"line": "线" * 101, "port_equipment": "端口", "address": "春熙路"}
    r = post(api, f"/api/v1/orders/{order.id}/resource-missing", body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "line"
    assert not ResourceRegister.objects.exists()


def test_the_same_missing_resource_registered_twice_is_a_conflict(api):
    order = f.order()
    body = {"line": "光纤", "port_equipment": "分光器满", "address": "春熙路1号"}
    first = post(api, f"/api/v1/orders/{order.id}/resource-missing", body)
    assert first.status_code == 201, first.content
    again = post(api, f"/api/v1/orders/{order.id}/resource-missing", body)
    assert again.status_code == 409, again.content
    assert again.json()["field"] == "order_id"
    assert ResourceRegister.objects.count() == 1


def test_a_nul_is_refused_under_asgi_too():
    r = async_to_sync(AsyncClient().get)("/api/v1/orders", {"status": "a\x00"})
    assert r.status_code == 422
    assert r.json()["field"] == "status"


@pytest.mark.parametrize("limit", ["0", "-5", "1001"])
def test_a_page_size_outside_one_to_a_thousand_is_refused_naming_it(api, limit):
    r = api.get("/api/v1/orders", {"limit": limit})
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "limit"
    assert api.get("/api/v1/orders", {"limit": "1"}).status_code == 200
