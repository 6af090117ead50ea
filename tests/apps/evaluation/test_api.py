"""The evaluation API: the bad inputs of issue 14 answered 4xx naming field and rule."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.accounts.services import api_token_create
from guifan.clock import FixedClock
from tests import factories as f
from tests.apps.evaluation.test_services import DAY, GOOD, transcripts

pytestmark = pytest.mark.django_db


def client(user: Any) -> Client:
    token = api_token_create(user=user, name="t")
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(c: Client, path: str, body: dict[str, Any]) -> Any:
    return c.post(f"/api/v1/evaluations{path}", json.dumps(body), content_type="application/json")


@pytest.fixture
def setup(clock: FixedClock) -> dict[str, Any]:
    tech = f.technician()
    tech.user = f.user(Role.TECHNICIAN, "tech1")
    tech.save()
    q1, q2 = f.user(Role.QUALITY, "q1"), f.user(Role.QUALITY, "q2")
    transcripts(tech.badge_no, 3)
    c1 = client(q1)
    plan = post(
        c1, "/plans", {"name": "p", "kind": "transcript", "evaluators": ["q1"], "per_person": 1}
    )
    assert plan.status_code == 201, plan.content
    run = post(c1, f"/plans/{plan.json()['id']}/run", {"day": DAY.isoformat()})
    (a,) = run.json()
    return {"c1": c1, "c2": client(q2), "ct": client(tech.user), "assignment": a["id"]}


def test_the_queue_shows_the_facts_and_an_evaluation_is_scored(setup):
    queue = setup["c1"].get("/api/v1/evaluations/queue").json()
    assert [a["id"] for a in queue] == [setup["assignment"]]
    assert queue[0]["facts"]["channel"] == "phone"
    resp = post(setup["c1"], f"/assignments/{setup['assignment']}", {"answers": GOOD})
    assert resp.status_code == 201 and resp.json()["score"] > 90
    mine = setup["ct"].get("/api/v1/evaluations").json()
    assert [e["id"] for e in mine] == [resp.json()["id"]]


def test_an_answer_to_a_question_not_on_the_form_is_422_naming_it(setup):
    resp = post(
        setup["c1"], f"/assignments/{setup['assignment']}", {"answers": {**GOOD, "tip": True}}
    )
    assert resp.status_code == 422 and resp.json()["field"] == "answers.tip"


def test_evaluating_outside_ones_queue_is_404(setup):
    resp = post(setup["c2"], f"/assignments/{setup['assignment']}", {"answers": GOOD})
    assert resp.status_code == 404 and resp.json()["code"] == "evaluation.not_in_queue"


def test_a_sample_rate_above_100_is_422(setup):
    resp = post(
        setup["c1"], "/plans", {"name": "p", "kind": "visit", "evaluators": ["q1"], "rate_pct": 120}
    )
    assert resp.status_code == 422 and resp.json()["field"] == "rate_pct"


def test_a_dispute_after_the_window_is_422_naming_the_rule(setup, clock):
    ev = post(setup["c1"], f"/assignments/{setup['assignment']}", {"answers": GOOD}).json()
    clock.advance(dt.timedelta(hours=73))
    resp = post(setup["ct"], f"/{ev['id']}/disputes", {"reason": "太晚了"})
    assert resp.status_code == 422
    assert resp.json()["rule"] == "QA-08" and resp.json()["code"] == "dispute.window_closed"


def test_a_dispute_is_decided_by_a_second_evaluator(setup):
    ev = post(
        setup["c1"], f"/assignments/{setup['assignment']}", {"answers": {**GOOD, "surname": False}}
    ).json()
    d = post(setup["ct"], f"/{ev['id']}/disputes", {"reason": "我称呼了"}).json()
    assert post(setup["c1"], f"/disputes/{d['id']}/decision", {"overturn": True}).status_code == 422
    resp = post(setup["c2"], f"/disputes/{d['id']}/decision", {"overturn": True})
    assert resp.status_code == 200 and resp.json()["reversed_checks"] == 1
