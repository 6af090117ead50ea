from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id() -> None:
    response = Client().get("/api/v1/health")
    assert len(response["X-Request-ID"]) == 32


def test_a_well_formed_incoming_request_id_is_kept() -> None:
    response = Client().get("/api/v1/health", headers={"X-Request-ID": "lb-1234abcd"})
    assert response["X-Request-ID"] == "lb-1234abcd"


def test_an_incoming_request_id_with_markup_is_replaced() -> None:
    response = Client().get("/api/v1/health", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert "<" not in response["X-Request-ID"]
