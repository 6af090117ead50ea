"""The evaluator's pages: queue, form (critical marked), bad answer re-rendered 422, English."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.evaluation.models import Evaluation
from guifan.apps.evaluation.services import plan_create, plan_run
from guifan.clock import FixedClock
from tests import factories as f
from tests.apps.evaluation.test_services import DAY, GOOD, transcripts

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluator(clock: FixedClock) -> tuple[Client, int]:
    q1 = f.user(Role.QUALITY, "q1")
    transcripts("ZW0001", 1)
    plan = plan_create(name="p", kind="transcript", evaluators=["q1"], per_person=1, by=q1)
    (a,) = plan_run(plan_id=plan.id, day=DAY, by=None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(q1)
    return client, a.id


def form_data(**over: str) -> dict[str, str]:
    data = {f"q_{k}": ("yes" if v is True else str(v)) for k, v in GOOD.items()}
    return {**data, **over}


def test_the_queue_and_the_form_mark_critical_questions(evaluator):
    client, aid = evaluator
    page = client.get("/qc/evaluations/").content.decode()
    assert "我的评估队列" in page and f"/qc/evaluations/a/{aid}/" in page
    form = client.get(f"/qc/evaluations/a/{aid}/").content.decode()
    assert form.count("致命项</span>") == 2  # LNG-02 and SEC-05 on the transcript form
    assert "LNG-05" in form and "权重" in form


def test_a_value_outside_the_scale_is_re_rendered_422_naming_the_question(evaluator):
    client, aid = evaluator
    resp = client.post(f"/qc/evaluations/a/{aid}/submit/", form_data(q_routine="9"))
    alert = resp.content.decode().split('role="alert">')[1].split("</p>")[0]
    assert resp.status_code == 422 and alert.startswith("问题“") and "请选择 1–5 分" in alert
    assert "routine" not in alert and "null" not in alert  # the page's words, not the API's
    assert not Evaluation.objects.exists()


def test_a_digit_python_cannot_read_is_outside_the_scale_not_a_500(evaluator):
    client, aid = evaluator  # "²" passes str.isdigit, not int()
    resp = client.post(f"/qc/evaluations/a/{aid}/submit/", form_data(q_routine="²"))
    assert resp.status_code == 422 and "请选择 1–5 分" in resp.content.decode()
    assert not Evaluation.objects.exists()


def test_submitting_saves_and_returns_to_the_queue(evaluator):
    client, aid = evaluator
    resp = client.post(f"/qc/evaluations/a/{aid}/submit/", form_data(q_no_prying="no"))
    assert resp.status_code == 303
    assert Evaluation.objects.get().score == 0  # a critical question broken


def test_the_form_speaks_english_through_gettext(evaluator):
    client, aid = evaluator
    client.post("/i18n/setlang/", {"language": "en", "next": "/qc/evaluations/"})
    page = client.get(f"/qc/evaluations/a/{aid}/").content.decode()
    assert "Save the evaluation" in page and "critical" in page
    assert "No prying into household affairs" in page
