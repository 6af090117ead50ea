"""Every API error, 500 included, has the documented shape with the request id and no trace."""

from __future__ import annotations

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from guifan.apps.orders import selectors
from tests import factories as f

pytestmark = pytest.mark.django_db
SHAPE = {"code", "message", "field", "rule", "request_id"}


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    return Client(headers={"Authorization": f"Bearer {raw}"})


def assert_shaped(r, status):
    assert r.status_code == status, r.content
    body = r.json()
    assert set(body) >= SHAPE, body
    assert body["request_id"] == r["X-Request-ID"]
    return body


def test_a_service_error_carries_the_request_id(api):
    assert_shaped(api.get("/api/v1/orders/999999"), 404)


def test_a_shape_error_carries_the_request_id(api):
    r = api.post("/api/v1/orders", data="{", content_type="application/json")
    assert r.status_code in (400, 422)
    assert_shaped(r, r.status_code)
    r = api.post("/api/v1/orders", data=json.dumps({}), content_type="application/json")
    assert_shaped(r, 422)


def test_a_missing_token_carries_the_request_id():
    body = assert_shaped(Client().get("/api/v1/orders"), 401)
    assert body["field"] == "Authorization"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_an_oversized_body_carries_the_request_id(api):
    body = json.dumps(f.order_body(description="x" * 500))
    assert_shaped(api.post("/api/v1/orders", data=body, content_type="application/json"), 413)


def test_an_unexpected_error_is_a_shaped_500_logged_with_the_same_id(api, caplog):
    with (
        mock.patch.object(selectors, "order_list", side_effect=RuntimeError("boom /srv/secret.py")),
        caplog.at_level(logging.ERROR, logger="guifan.api"),
    ):
        r = api.get("/api/v1/orders")
    body = assert_shaped(r, 500)
    assert body["code"] == "server.error"
    assert "boom" not in r.content.decode() and "Traceback" not in r.content.decode()
    logged = [rec for rec in caplog.records if rec.name == "guifan.api"]
    assert len(logged) == 1
    assert logged[0].levelno == logging.ERROR
    assert body["request_id"] in logged[0].getMessage()
    assert logged[0].exc_info is not None and "boom" in str(logged[0].exc_info[1])


def test_the_openapi_document_declares_the_error_shape(api):
    doc = Client().get("/api/v1/openapi.json").json()
    error = doc["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) >= SHAPE
    responses = doc["paths"]["/api/v1/orders"]["post"]["responses"]
    for status in ("401", "403", "404", "409", "422", "500"):
        assert status in {str(k) for k in responses}, status


def test_health_answers_ok_when_the_database_answers():
    r = Client().get("/api/v1/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_health_answers_503_when_the_database_does_not():
    broken = mock.MagicMock()
    broken.__enter__.return_value.execute.side_effect = OperationalError("connection refused")
    with mock.patch("guifan.api.connection.cursor", return_value=broken):
        r = Client().get("/api/v1/health")
    assert r.status_code == 503
    assert r.json()["status"] == "unavailable"


def test_an_unknown_api_path_is_a_shaped_404():
    assert_shaped(Client().get("/api/v1/no-such-thing"), 404)


def test_an_error_outside_the_api_views_is_a_shaped_500_on_the_api(api):
    client = Client(raise_request_exception=False)
    with mock.patch("guifan.textinput._first_nul", side_effect=RuntimeError("boom")):
        r = client.get("/api/v1/orders")
        page = client.get("/board/")
    body = assert_shaped(r, 500)
    assert body["code"] == "server.error" and "boom" not in r.content.decode()
    assert page.status_code == 500 and "boom" not in page.content.decode()
    assert "application/json" not in page["Content-Type"]
