"""The call centre's worklist (issue 14): ORD-03, QA-01, QA-06 and complaint callbacks,
versioned surveys whose answers become verdicts, false closures, idempotent attempts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.callcentre.models import Callback, CallbackAttempt, SurveyAnswer, SurveyVersion
from guifan.apps.callcentre.sampling import sampled
from guifan.apps.callcentre.services import callback_attempt
from guifan.apps.callcentre.surveys import survey_data, survey_load
from guifan.apps.fieldwork.services import checklist_step_record, field_visit_complete
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.orders import services
from guifan.apps.orders.models import Contact, WorkOrder
from guifan.apps.orders.signals import complaint_received, dissatisfied
from guifan.apps.timers.services import timers_fire_due
from guifan.clock import FixedClock
from guifan.errors import ValidationFailed
from tests import factories as f
from tests.apps.fieldwork.visits import field_user, field_visit, on_site
from tests.visits import steps_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent() -> tuple[User, str]:
    user = User.objects.create_user("agent1", role=Role.QUALITY)
    return user, api_token_create(user=user, name="t")


def post(token: str, url: str, body: dict[str, Any], **headers: str) -> Any:
    return Client().post(
        url,
        data=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **headers,
    )


def remote_fixed() -> WorkOrder:
    order = f.order(kind="repair", description="宽带无法上网")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "配置"}, by=None)
    return services.work_order_remote(order_id=order.id, resolved=True, channel="电话", by=None)


def completed(*, fix_certain: bool = True, tried: bool = True) -> WorkOrder:
    tech_user = field_user(f"tech{WorkOrder.objects.count()}")
    order = on_site(tech_user, field_visit(tech_user))
    order = steps_record(order.id)
    if not tried:
        order = checklist_step_record(
            order_id=order.id,
            norm_id="VIS-14",
            outcome="done",
            evidence={
                "web_page": True,
                "download": True,
                "email": True,
                "speed_mbps": 100.0,
                "customer_tried": False,
            },
            expected_version=order.version,
            by=tech_user,
        ).order
        order.refresh_from_db()
    return field_visit_complete(
        order_id=order.id, expected_version=order.version, by=tech_user, fix_certain=fix_certain
    )


def closed(order: WorkOrder, follower: User) -> WorkOrder:
    services.contact_record(
        order_id=order.id, channel="call", purpose="callback", outcome="answered", by=follower
    )
    return services.work_order_transition(order_id=order.id, action="close", by=follower)


def test_a_remote_fix_is_on_the_worklist_and_answering_it_keeps_ord03(
    clock: FixedClock, agent: tuple[User, str]
) -> None:
    order = remote_fixed()
    cb = Callback.objects.get(order=order)
    assert (cb.purpose, cb.norm_id) == ("remote_fix", "ORD-03")
    assert cb.due_at == clock.now() + dt.timedelta(minutes=30)  # callback_minutes_telecom
    clock.set(clock.now() + dt.timedelta(minutes=20))
    body = {"reached": True, "answers": {"fixed": True, "satisfaction": 5}}
    resp = post(agent[1], f"/api/v1/callbacks/{cb.id}/attempts", body)
    assert resp.status_code == 201, resp.content
    assert resp.json()["callback"]["status"] == "answered"
    assert NormCheck.objects.get(order=order, norm_id="ORD-03").kept
    assert Contact.objects.filter(order=order, purpose="callback").count() == 1
    order.refresh_from_db()
    assert order.status == "closed"  # closed only after the callback (ORD-03)


def test_an_attempt_recorded_twice_is_one_row_with_the_same_result(
    clock: FixedClock, agent: tuple[User, str]
) -> None:
    cb = Callback.objects.get(order=remote_fixed())
    url = f"/api/v1/callbacks/{cb.id}/attempts"
    first = post(agent[1], url, {"reached": False, "note": "无人接听"}, HTTP_IDEMPOTENCY_KEY="k1")
    again = post(agent[1], url, {"reached": False, "note": "无人接听"}, HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["replayed"] is True
    assert first.json()["callback"]["attempts"] == again.json()["callback"]["attempts"]
    assert CallbackAttempt.objects.filter(callback=cb).count() == 1
    other = post(agent[1], url, {"reached": True}, HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 409 and other.json()["field"] == "Idempotency-Key"
    # a client key in the body works the same way (the page's form)
    callback_attempt(callback_id=cb.id, by=agent[0], reached=True, client_key="page-1")
    callback_attempt(callback_id=cb.id, by=agent[0], reached=True, client_key="page-1")
    assert CallbackAttempt.objects.filter(callback=cb).count() == 2


def test_an_uncertain_repair_gets_a_qa01_callback_in_three_hours(
    clock: FixedClock, agent: tuple[User, str]
) -> None:
    order = completed(fix_certain=False)
    cb = Callback.objects.get(order=order)
    assert (cb.purpose, cb.norm_id) == ("uncertain", "QA-01")
    assert cb.due_at == clock.now() + dt.timedelta(hours=3)
    clock.set(clock.now() + dt.timedelta(hours=1))
    callback_attempt(callback_id=cb.id, by=agent[0], reached=True, answers={"fixed": True})
    assert NormCheck.objects.get(order=order, norm_id="QA-01").kept


def test_an_untested_repair_is_due_in_two_hours_and_breaks_qa01_when_missed(
    clock: FixedClock,
) -> None:
    order = completed(tried=False)
    cb = Callback.objects.get(order=order)
    assert cb.purpose == "untested"
    assert cb.due_at == clock.now() + dt.timedelta(hours=2)
    timers_fire_due(now=clock.now() + dt.timedelta(hours=2, minutes=1), worker_id="t")
    check = NormCheck.objects.get(order=order, norm_id="QA-01")
    assert not check.kept and check.person == order.technician.badge_no
    cb.refresh_from_db()
    assert cb.overdue


def test_a_certain_tested_repair_has_no_callback(clock: FixedClock) -> None:
    assert not Callback.objects.filter(order=completed()).exists()


def test_each_answer_is_a_verdict_for_the_technician_area_and_team(
    clock: FixedClock, agent: tuple[User, str]
) -> None:
    order = completed(fix_certain=False)
    cb = Callback.objects.get(order=order)
    answers = {
        "uniform_badge": True,
        "shoe_covers_mat": False,
        "personal_calls": True,
        "rude_words": False,
        "satisfaction": 4,
        "grooming": None,
    }
    callback_attempt(callback_id=cb.id, by=agent[0], reached=True, answers=answers)
    got = {
        c.norm_id: c.kept for c in NormCheck.objects.filter(order=order, detail__source="callback")
    }
    assert got == {
        "STF-01": True,
        "STF-02": True,
        "VIS-05": False,
        "VIS-06": False,
        "VIS-12": False,
        "STF-06": True,
        "QA-08": True,
    }
    check = NormCheck.objects.filter(order=order, norm_id="VIS-05").last()
    assert check is not None
    assert (check.person, check.area_code) == (order.technician.badge_no, order.area.code)
    assert check.detail["version"] == 1 and "team" in check.detail
    assert SurveyAnswer.objects.filter(attempt__callback=cb).count() == len(answers)


def test_an_answer_to_a_question_not_on_the_version_is_refused(
    clock: FixedClock, agent: tuple[User, str]
) -> None:
    cb = Callback.objects.get(order=completed(fix_certain=False))
    resp = post(
        agent[1],
        f"/api/v1/callbacks/{cb.id}/attempts",
        {"reached": True, "answers": {"favourite_colour": True}},
    )
    assert resp.status_code == 422
    assert resp.json()["field"] == "answers.favourite_colour"
    assert "favourite_colour" in resp.json()["message"]
    assert not CallbackAttempt.objects.exists()


def test_a_survey_for_an_order_never_visited_is_refused(
    clock: FixedClock, agent: tuple[User, str]
) -> None:
    order = f.order(kind="repair", description="宽带无法上网")
    complaint_received.send(sender=None, case_id=77, order=order, at=clock.now(), by=None)
    cb = Callback.objects.get(order=order)
    assert (cb.purpose, cb.norm_id) == ("complaint", "QA-03")
    assert cb.due_at == clock.now() + dt.timedelta(hours=24)
    resp = post(
        agent[1],
        f"/api/v1/callbacks/{cb.id}/attempts",
        {"reached": True, "answers": {"came": True}},
    )
    assert resp.status_code == 422 and resp.json()["code"] == "survey.not_visited"
    # the same complaint again: still one callback
    complaint_received.send(sender=None, case_id=77, order=order, at=clock.now(), by=None)
    assert Callback.objects.filter(order=order).count() == 1


def test_an_unhappy_answer_sends_dissatisfied(clock: FixedClock, agent: tuple[User, str]) -> None:
    cb = Callback.objects.get(order=completed(fix_certain=False))
    seen: list[dict[str, Any]] = []

    def listen(sender: Any, **kw: Any) -> None:
        seen.append(kw)

    dissatisfied.connect(listen)
    try:
        callback_attempt(callback_id=cb.id, by=agent[0], reached=True, answers={"satisfaction": 2})
    finally:
        dissatisfied.disconnect(listen)
    assert [s["source"] for s in seen] == ["callback"]
    cb.refresh_from_db()
    assert cb.outcome == "unhappy"
    resp = post(agent[1], f"/api/v1/callbacks/{cb.id}/revisit", {"reason": "客户不满意"})
    assert resp.status_code == 200 and resp.json()["revisit_booked"]
    assert WorkOrder.objects.get(id=cb.order_id).status == "awaiting_appointment"


def test_a_false_closure_breaks_qa06_for_technician_and_follower_and_reopens(
    clock: FixedClock, agent: tuple[User, str]
) -> None:
    norm_parameter_set(norm_id="QA-06", name="sample_rate_pct", value=100, by=None)
    follower = f.user(Role.DISPATCHER)
    order = closed(completed(), follower)
    cb = Callback.objects.get(order=order, purpose="audit")
    assert cb.due_at == clock.now() + dt.timedelta(hours=72)
    callback_attempt(
        callback_id=cb.id, by=agent[0], reached=True, answers={"came": True, "fixed": False}
    )
    broken = NormCheck.objects.filter(norm_id="QA-06", kept=False, detail__false_closure=True)
    assert {c.person for c in broken} == {order.technician.badge_no, follower.username}
    order.refresh_from_db()
    assert order.status == "awaiting_appointment" and order.completed_at is None
    cb.refresh_from_db()
    assert cb.outcome == "false_closure" and cb.revisit_booked


def test_an_audit_that_matches_the_closure_keeps_qa06(
    clock: FixedClock, agent: tuple[User, str]
) -> None:
    norm_parameter_set(norm_id="QA-06", name="sample_rate_pct", value=100, by=None)
    order = closed(completed(), f.user(Role.DISPATCHER))
    cb = Callback.objects.get(order=order, purpose="audit")
    callback_attempt(
        callback_id=cb.id,
        by=agent[0],
        reached=True,
        answers={"came": True, "fixed": True, "signed_self": True},
    )
    assert NormCheck.objects.get(order=order, norm_id="QA-06").kept
    assert WorkOrder.objects.get(id=order.id).status == "closed"


def test_the_sample_is_reproducible_and_follows_the_rate() -> None:
    ids = range(1, 2001)
    picked = [i for i in ids if sampled(i, 10)]
    assert picked == [i for i in ids if sampled(i, 10)]
    assert 150 < len(picked) < 250
    assert not any(sampled(i, 0) for i in ids) and all(sampled(i, 100) for i in ids)


@pytest.mark.parametrize("rate", [-1, 101, 250.5])
def test_a_sample_rate_outside_0_to_100_is_refused(rate: float) -> None:
    with pytest.raises(ValidationFailed) as exc:
        norm_parameter_set(norm_id="QA-06", name="sample_rate_pct", value=rate, by=None)
    assert exc.value.rule == "QA-06" and exc.value.field == "sample_rate_pct"


def test_a_new_version_never_changes_old_answers(clock: FixedClock) -> None:
    survey_load()
    data = survey_data()
    changed = json.loads(json.dumps(data))
    changed["forms"][0]["versions"][0]["questions"][0]["text"] = "改过的问题"
    with pytest.raises(ValueError, match="new version"):
        survey_load(changed)
    v2 = json.loads(json.dumps(data["forms"][0]["versions"][0]))
    v2["version"] = 2
    v2["questions"] = v2["questions"][:3]
    data["forms"][0]["versions"].append(v2)
    assert survey_load(data) == 1
    assert survey_load(data) == 0  # idempotent
    v1 = SurveyVersion.objects.get(form__code="visit", version=1)
    assert len(v1.questions) > 3


def test_a_translation_added_to_a_stored_version_is_not_a_new_version(clock: FixedClock) -> None:
    """``text_en`` says the same question in English: a stored version takes it."""
    data = survey_data()
    untranslated = json.loads(json.dumps(data))
    for form in untranslated["forms"]:
        for version in form["versions"]:
            for q in version["questions"]:
                q.pop("text_en", None)
    survey_load(untranslated)  # a database loaded before the forms had English
    assert survey_load(data) == 0
    v1 = SurveyVersion.objects.get(form__code="visit", version=1)
    assert v1.questions[0]["text_en"] == "Did a technician come to serve you?"
    for form in data["forms"]:
        for version in form["versions"]:
            assert all(q.get("text_en") for q in version["questions"]), form["code"]


def test_other_roles_may_not_work_the_worklist(clock: FixedClock) -> None:
    _, tok = f.token(Role.TECHNICIAN)
    resp = Client().get("/api/v1/callbacks", HTTP_AUTHORIZATION=f"Bearer {tok}")
    assert resp.status_code == 403
