"""Plans, the planner, evaluations, calibration and disputes (issue 14, point 7)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from guifan.apps.accounts.models import Role
from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.evaluation import forms as forms_mod
from guifan.apps.evaluation.models import Assignment, Evaluation, EvaluationStatus
from guifan.apps.evaluation.selectors import calibration_get
from guifan.apps.evaluation.services import (
    calibration_create,
    dispute_decide,
    dispute_raise,
    evaluation_submit,
    plan_create,
    plan_run,
)
from guifan.apps.norms.models import NormCheck
from guifan.apps.timers.models import Timer
from guifan.clock import FixedClock, at_local
from guifan.errors import NotFound, ValidationFailed
from guifan.norms.punct import has_cjk
from guifan.norms.reasons import reason_text
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 2)

GOOD = {
    "courtesy": True,
    "no_forbidden": True,
    "routine": 5,
    "mandarin": True,
    "surname": True,
    "plain_words": 4,
    "script": True,
    "no_prying": True,
}


def transcripts(person: str, n: int, *, area: str = "A01") -> list[TranscriptCheck]:
    return [
        TranscriptCheck.objects.create(
            channel="phone",
            moment="booking",
            turns=[{"speaker": "staff", "text": "您好"}],
            person=person,
            area_code=area,
            at=at_local(DAY, "09:00") + dt.timedelta(minutes=i),
            score=90,
        )
        for i in range(n)
    ]


@pytest.fixture
def people(clock: FixedClock) -> dict[str, Any]:
    tech = f.technician()
    tech_user = f.user(Role.TECHNICIAN, "tech1")
    tech.user = tech_user
    tech.save()
    return {
        "tech": tech,
        "tech_user": tech_user,
        "q1": f.user(Role.QUALITY, "q1"),
        "q2": f.user(Role.QUALITY, "q2"),
        "q3": f.user(Role.QUALITY, "q3"),
    }


def one_assignment(people: dict[str, Any], evaluator: str = "q1") -> Assignment:
    transcripts(people["tech"].badge_no, 1)
    plan = plan_create(
        name="p", kind="transcript", evaluators=[evaluator], per_person=1, by=people["q1"]
    )
    (a,) = plan_run(plan_id=plan.id, day=DAY, by=None)
    return a


def test_plan_arms_its_evening_timer_and_samples_reproducibly(people):
    transcripts(people["tech"].badge_no, 20)
    transcripts("zw0099", 20)
    plan = plan_create(
        name="录音抽检", kind="transcript", evaluators=["q1", "q2"], rate_pct=30, by=people["q1"]
    )
    assert Timer.objects.filter(kind="evaluation.plan_run", key__contains=f":{plan.id}:").exists()
    made = plan_run(plan_id=plan.id, day=DAY, by=None)
    assert 0 < len(made) < 40
    assert {a.evaluator.username for a in made} <= {"q1", "q2"}
    # Idempotent: the same run adds nothing; the sample is the hash's, not random state.
    assert plan_run(plan_id=plan.id, day=DAY, by=None) == []
    Assignment.objects.filter(plan=plan).delete()
    again = plan_run(plan_id=plan.id, day=DAY, by=None)
    assert sorted(a.object_id for a in again) == sorted(a.object_id for a in made)


def test_per_person_count_samples_that_many_of_each(people):
    transcripts(people["tech"].badge_no, 5)
    transcripts("zw0099", 5)
    plan = plan_create(name="p", kind="transcript", evaluators=["q1"], per_person=2, by=None)
    made = plan_run(plan_id=plan.id, day=DAY, by=None)
    assert sorted(a.person for a in made) == sorted([people["tech"].badge_no] * 2 + ["zw0099"] * 2)


@pytest.mark.parametrize("rate", [-1, 100.5])
def test_a_sample_rate_outside_0_to_100_is_refused(people, rate):
    with pytest.raises(ValidationFailed) as exc:
        plan_create(name="p", kind="transcript", evaluators=["q1"], rate_pct=rate, by=None)
    assert exc.value.field == "rate_pct"


def test_evaluation_scores_and_records_a_verdict_per_question(people):
    a = one_assignment(people)
    answers = {**GOOD, "surname": False, "plain_words": 2}
    ev = evaluation_submit(assignment_id=a.id, answers=answers, by=people["q1"])
    assert 0 < ev.score < 100 and ev.critical_failed == []
    checks = NormCheck.objects.filter(id__in=ev.norm_check_ids)
    assert checks.count() == 8
    assert {c.person for c in checks} == {people["tech"].badge_no}
    assert {c.norm_id for c in checks.filter(kept=False)} == {"LNG-05", "LNG-07"}
    assert all(c.detail["evaluation"] == ev.id for c in checks)


def test_a_broken_critical_question_scores_zero(people):
    a = one_assignment(people)
    ev = evaluation_submit(
        assignment_id=a.id, answers={**GOOD, "no_prying": False}, by=people["q1"]
    )
    assert ev.score == 0 and ev.critical_failed == ["no_prying"]


def test_an_answer_to_a_question_not_on_the_form_is_refused_naming_it(people):
    a = one_assignment(people)
    with pytest.raises(ValidationFailed) as exc:
        evaluation_submit(assignment_id=a.id, answers={**GOOD, "shoes": True}, by=people["q1"])
    assert exc.value.field == "answers.shoes" and exc.value.http_status == 422
    assert not Evaluation.objects.exists()


def test_an_interaction_not_in_the_evaluators_queue_is_not_found(people):
    a = one_assignment(people, evaluator="q1")
    with pytest.raises(NotFound) as exc:
        evaluation_submit(assignment_id=a.id, answers=GOOD, by=people["q2"])
    assert exc.value.code == "evaluation.not_in_queue"


def test_a_new_form_version_leaves_stored_evaluations_alone(people, monkeypatch):
    a = one_assignment(people)
    ev = evaluation_submit(assignment_id=a.id, answers=GOOD, by=people["q1"])
    old = forms_mod.form_current("transcript")
    newer = dataclasses.replace(old, version=old.version + 1, questions=old.questions[:2])
    every = forms_mod.forms_all()
    monkeypatch.setattr(forms_mod, "forms_all", lambda: (*every, newer))
    assert forms_mod.form_current("transcript").version == old.version + 1
    ev.refresh_from_db()
    assert ev.form_version == old.version
    assert len(ev.form["questions"]) == len(old.questions)


def test_calibration_shows_alpha_and_writes_no_verdicts(people):
    (t,) = transcripts(people["tech"].badge_no, 1)
    session = calibration_create(
        kind="transcript", object_id=t.id, evaluators=["q1", "q2", "q3"], by=people["q1"]
    )
    variants = {
        "q1": GOOD,
        "q2": {**GOOD, "plain_words": 3},
        "q3": {**GOOD, "surname": False, "routine": 4},
    }
    for a in session.assignments.select_related("evaluator"):
        evaluation_submit(
            assignment_id=a.id, answers=variants[a.evaluator.username], by=a.evaluator
        )
    view = calibration_get(session_id=session.id)
    assert view.evaluators == ["q1", "q2", "q3"] and view.pending == []
    assert view.alpha is not None and -1 <= view.alpha < 1
    surname = next(q for q in view.questions if q.id == "surname")
    assert surname.agreement == pytest.approx(1 / 3)
    assert not NormCheck.objects.filter(detail__evaluation__isnull=False).exists()


def test_a_dispute_overturned_by_a_second_evaluator_reverses_the_broken_verdicts(people):
    a = one_assignment(people)
    ev = evaluation_submit(assignment_id=a.id, answers={**GOOD, "surname": False}, by=people["q1"])
    d = dispute_raise(evaluation_id=ev.id, reason="我称呼了张先生", by=people["tech_user"])
    with pytest.raises(ValidationFailed) as exc:
        dispute_decide(dispute_id=d.id, overturn=True, by=people["q1"])
    assert exc.value.code == "dispute.same_evaluator"
    decision = dispute_decide(dispute_id=d.id, overturn=True, note="录音确有称呼", by=people["q2"])
    assert decision.reversed_checks == 1
    checks = NormCheck.objects.filter(id__in=ev.norm_check_ids)
    assert checks.count() == 8 and all(c.kept for c in checks)
    reversed_check = checks.get(norm_id="LNG-05")
    assert reversed_check.detail["overturned_by_dispute"] == d.id
    # The reason quotes the reversed one, and reads in English as well (guifan.norms.reasons).
    assert reversed_check.reason.startswith(f"申诉 {d.id} 改判：评估 {ev.id}：")
    detail = reversed_check.detail
    assert reason_text(detail["msg"], detail["args"], "zh") == reversed_check.reason
    english = reason_text(detail["msg"], detail["args"], "en")
    assert english and english.startswith(f"Reversed on dispute {d.id}: Evaluation {ev.id}: ")
    assert not has_cjk(english)
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.OVERTURNED


def test_only_the_evaluated_person_may_dispute(people):
    a = one_assignment(people)
    ev = evaluation_submit(assignment_id=a.id, answers=GOOD, by=people["q1"])
    other = f.user(Role.TECHNICIAN, "tech2")
    with pytest.raises(NotFound):
        dispute_raise(evaluation_id=ev.id, reason="x", by=other)


def test_a_dispute_after_the_window_is_refused_naming_the_rule(people, clock):
    a = one_assignment(people)
    ev = evaluation_submit(assignment_id=a.id, answers=GOOD, by=people["q1"])
    clock.advance(dt.timedelta(hours=72, minutes=1))
    with pytest.raises(ValidationFailed) as exc:
        dispute_raise(evaluation_id=ev.id, reason="迟到的申诉", by=people["tech_user"])
    assert exc.value.code == "dispute.window_closed" and exc.value.rule == "QA-08"
