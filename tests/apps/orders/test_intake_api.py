from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from guifan.apps.orders.models import WorkOrder
from guifan.apps.timers.models import Timer
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return client


def post(client, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        "/api/v1/orders", data=data, content_type="application/json", headers=headers
    )


def test_it_creates_an_order_with_its_first_contact_timer(api):
    r = post(api, f.order_body())
    assert r.status_code == 201, r.content
    order = WorkOrder.objects.get(id=r.json()["id"])
    assert order.status == "received"
    assert r.json()["phone_masked"] == "139****5678"
    timer = Timer.objects.get(key=f"apt02:{order.id}")
    assert (timer.due_at - order.received_at).total_seconds() == 4 * 3600  # gold: 4 h
    assert order.events.filter(action="intake").exists()


def test_a_repeat_returns_the_same_order(api):
    body = f.order_body()
    first = post(api, body, **{"Idempotency-Key": "abc"})
    again = post(api, body, **{"Idempotency-Key": "abc"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert WorkOrder.objects.count() == 1


def test_external_id_alone_is_the_key(api):
    body = f.order_body(external_id="crm-77")
    assert post(api, body).json()["id"] == post(api, body).json()["id"]
    assert WorkOrder.objects.count() == 1


def test_same_key_different_body_is_a_conflict(api):
    post(api, f.order_body(external_id="crm-1"))
    r = post(api, f.order_body(external_id="crm-1", description="另一个需求"))
    assert r.status_code == 409
    assert r.json()["code"] == "order.idempotency_conflict"
    assert WorkOrder.objects.count() == 1


@pytest.mark.parametrize(
    ("phone", "code"),
    [("", "phone.missing"), ("12345", "phone.malformed"), ("1391234567x", "phone.malformed")],
)
def test_missing_or_malformed_phone_is_refused_naming_the_field(api, phone, code):
    body = f.order_body()
    body["customer"]["phone"] = phone
    r = post(api, body)
    assert r.status_code == 422
    assert r.json() == {
        "code": code,
        "message": r.json()["message"],
        "field": "customer.phone",
        "rule": "ORD-01",
        "request_id": r["X-Request-ID"],
    }
    assert WorkOrder.objects.count() == 0


def test_landline_numbers_are_accepted(api):
    body = f.order_body()
    body["customer"]["phone"] = "028-86001234"
    assert post(api, body).status_code == 201


def test_unknown_service_type_is_refused(api):
    r = post(api, f.order_body(service_type="satellite"))
    assert r.status_code == 422
    assert r.json()["field"] == "service_type"


def test_missing_description_names_ord01(api):
    r = post(api, f.order_body(description=""))
    assert (r.status_code, r.json()["rule"], r.json()["field"]) == (422, "ORD-01", "description")


def test_invalid_json_is_a_clear_4xx(api):
    r = post(api, "{not json")
    assert 400 <= r.status_code < 500
    assert WorkOrder.objects.count() == 0


def test_a_body_over_one_megabyte_is_refused(api):
    body = f.order_body(description="宽" * (600 * 1024))
    r = post(api, body)
    assert r.status_code == 413
    assert r.json()["code"] == "request.too_large"
    assert WorkOrder.objects.count() == 0


def test_unknown_order_is_404(api):
    r = api.get("/api/v1/orders/999999")
    assert r.status_code == 404
    assert r.json()["code"] == "order.not_found"


def test_every_endpoint_needs_a_token(clock):
    client = Client()
    assert client.get("/api/v1/orders").status_code == 401
    assert post(client, f.order_body()).status_code == 401
    bad = Client(headers={"Authorization": "Bearer nope"})
    assert bad.get("/api/v1/orders/1").status_code == 401


def test_technicians_may_not_create_orders(clock):
    f.area()
    _, raw = f.token(role="technician")
    r = post(Client(headers={"Authorization": f"Bearer {raw}"}), f.order_body())
    assert r.status_code == 403


def test_openapi_is_published(api):
    r = api.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert "/api/v1/orders" in r.json()["paths"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_create_one_order(clock):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    f.area()
    _, raw = f.token()
    body = json.dumps(f.order_body(external_id="race-1"))
    results: list[int] = []

    def hit() -> None:
        c = Client(headers={"Authorization": f"Bearer {raw}"})
        r = c.post("/api/v1/orders", data=body, content_type="application/json")
        results.append(r.json()["id"])
        connection.close()

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert len(set(results)) == 1
    assert WorkOrder.objects.count() == 1


def test_the_api_docs_page_loads_nothing_from_the_internet(api):
    page = api.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "https://" not in page and "http://" not in page
