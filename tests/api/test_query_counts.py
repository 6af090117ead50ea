"""Query counts of the hottest API paths, pinned (issue 17, point 5; ADR 0036).

The demo's simulated people send ~14,000 requests; each query more on a hot path costs the
demo (and a real deployment) at every call. A count that grows fails here first."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guifan.apps.accounts.services import api_token_create
from guifan.apps.fieldwork import services
from guifan.apps.norms.models import NormParameter
from guifan.apps.norms.selectors import norms_snapshot
from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.workforce.access import dispatcher_area_ids
from guifan.requestmemo import request_memo, request_scope
from tests import factories as f
from tests.apps.fieldwork.visits import field_user, field_visit, on_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(clock):
    user = field_user()
    order = on_site(user, field_visit(user, plan_mbps=300))
    services.checklist_step_record(
        order_id=order.id, norm_id="VIS-04", outcome="done", expected_version=order.version, by=user
    )
    order.refresh_from_db()
    token = api_token_create(user=user, name="phone")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    client.get("/api/v1/visits/fees")  # the token is now in the in-process cache
    return client, order


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_reading_a_visit_costs_four_queries(visit):
    client, order = visit
    # the order with its technician and area, the latest step records, the norm parameters
    # (VIS-18), the signature
    assert count(lambda: client.get(f"/api/v1/visits/{order.id}")) == 4


def test_recording_a_step_costs_seven_queries(visit):
    client, order = visit
    body = {"norm_id": "VIS-05", "outcome": "done", "version": order.version}
    sent = {}

    def post() -> None:
        sent["r"] = client.post(
            f"/api/v1/visits/{order.id}/steps",
            data=json.dumps(body),
            content_type="application/json",
        )

    n = count(post)
    assert sent["r"].status_code == 201, sent["r"].content
    assert n == 7


def test_outside_a_request_each_read_asks_the_database():
    assert count(lambda: (norms_snapshot(), norms_snapshot())) == 2


def test_inside_a_request_the_norm_parameters_are_read_once_and_an_edit_is_seen():
    with request_scope():
        assert count(lambda: (norms_snapshot(), norms_snapshot())) == 1
        before = norms_snapshot().param("VIS-18", "force_signature")
        norm_parameter_set(norm_id="VIS-18", name="force_signature", value=not before, by=None)
        assert norms_snapshot().param("VIS-18", "force_signature") is (not before)
        NormParameter.objects.filter(norm_id="VIS-18").delete()
        assert norms_snapshot().param("VIS-18", "force_signature") is before


def test_a_dispatchers_areas_are_read_once_per_request_and_a_posting_is_seen():
    user, _ = f.token(areas=("A01",))
    with request_scope():
        assert count(lambda: (dispatcher_area_ids(user), dispatcher_area_ids(user))) == 1
        ids = dispatcher_area_ids(user)
        ids.add(-1)  # a copy: the memo keeps its own
        assert -1 not in dispatcher_area_ids(user)
        from guifan.apps.workforce.models import DispatcherArea

        DispatcherArea.objects.create(user=user, area=f.area("A02"))
        assert len(dispatcher_area_ids(user)) == 2


def test_the_memo_ends_with_its_scope():
    calls = []
    with request_scope():
        request_memo("k", lambda: calls.append(1))
        request_memo("k", lambda: calls.append(1))
    request_memo("k", lambda: calls.append(1))
    assert calls == [1, 1]


def test_an_intake_audits_its_customer_address_and_order_in_one_append(clock):
    from guifan.apps.audit.models import AuditEntry

    area = f.area()
    token = api_token_create(user=f.user("system", "crm"), name="crm")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    client.get("/api/v1/visits/fees")  # the token is now in the in-process cache
    sent = {}

    def post() -> None:
        body = json.dumps(f.order_body(area=area.code))
        sent["r"] = client.post(
            "/api/v1/orders",
            data=body,
            content_type="application/json",
            headers={"Idempotency-Key": "k1"},
        )

    n = count(post)
    assert sent["r"].status_code == 201, sent["r"].content
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["customer.create", "address.create", "order.intake"]
    # one append of three rows: the head's lock, one INSERT, the head's update (was 34)
    assert n == 28
