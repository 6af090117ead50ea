"""POST/GET /api/v1/dispatch/province-plans: start a day's plans and follow them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_tasks import default_task_backend

from guifan.apps.accounts.models import Role
from guifan.apps.dispatch.models import PlanBatch, PlanRun
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/dispatch/province-plans"
DAY = "2025-06-03"


def post(token: str, body: dict) -> object:
    return Client().post(
        URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_start_twice_is_one_batch_and_progress_lists_own_areas(clock):
    default_task_backend.clear()
    _, token = f.token(Role.DISPATCHER, areas=("A01", "A02"))
    f.area("A03")
    first = post(token, {"date": DAY})
    assert first.status_code == 202, first.content
    body = first.json()
    assert body["key"] == f"plan:{DAY}"
    assert [(r["area"], r["status"]) for r in body["runs"]] == [
        ("A01", "queued"),
        ("A02", "queued"),
    ]
    assert post(token, {"date": DAY}).json()["key"] == body["key"]
    assert PlanBatch.objects.count() == 1 and PlanRun.objects.count() == 2
    assert len(default_task_backend.results) == 2
    got = Client().get(f"{URL}?date={DAY}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert got["counts"] == {"queued": 2, "running": 0, "done": 0, "failed": 0}
    assert not got["finished"]


def test_an_area_not_dispatched_is_404_naming_areas_and_a_bad_date_is_422(clock):
    _, token = f.token(Role.DISPATCHER, areas=("A01",))
    f.area("A02")
    resp = post(token, {"date": DAY, "areas": ["A02"]})
    assert resp.status_code == 404
    assert resp.json()["field"] == "areas"
    past = post(token, {"date": "2025-06-01"})
    assert past.status_code == 422
    assert (past.json()["code"], past.json()["field"]) == ("plan.day_past", "date")
    assert not PlanBatch.objects.exists()
