"""An evaluator works the queue: the form with critical questions marked, calibration with
Krippendorff's alpha, and a dispute decided by a second evaluator (issue 14, point 7)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.evaluation.services import (
    calibration_create,
    dispute_raise,
    evaluation_submit,
    plan_create,
    plan_run,
)
from tests import factories as f
from tests.apps.evaluation.test_services import GOOD, transcripts
from tests.browser.conftest import assert_accessible, login, person, shot


def test_an_evaluator_scores_calibrates_and_decides(page: Page, live_server: object, clock) -> None:  # type: ignore[no-untyped-def]
    tech = f.technician()
    tech.user = f.user(Role.TECHNICIAN, "tech1")
    tech.save()
    q1 = person(Role.QUALITY, "q1")
    q2, q3 = person(Role.QUALITY, "q2"), person(Role.QUALITY, "q3")
    (t, *_) = transcripts(tech.badge_no, 4)
    plan = plan_create(name="录音抽检", kind="transcript", evaluators=["q1"], per_person=2, by=q1)
    first, second = plan_run(plan_id=plan.id, day=t.at.date(), by=None)
    ev = evaluation_submit(assignment_id=first.id, answers={**GOOD, "surname": False}, by=q1)
    dispute_raise(evaluation_id=ev.id, reason="我称呼了张先生", by=tech.user)
    session = calibration_create(
        kind="transcript", object_id=t.id, evaluators=["q1", "q2", "q3"], note="晨会校准", by=q1
    )
    scores = {"q2": {**GOOD, "plain_words": 3}, "q3": {**GOOD, "routine": 4, "surname": False}}
    for a in session.assignments.select_related("evaluator"):
        if a.evaluator.username != "q1":
            evaluation_submit(
                assignment_id=a.id, answers=scores[a.evaluator.username], by=a.evaluator
            )

    base = str(live_server)
    login(page, base, "q1")
    page.goto(f"{base}/qc/evaluations/")
    expect(page.get_by_role("heading", name="我的评估队列")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="评估", exact=True).first.click()
    expect(page.get_by_text("致命项").first).to_be_visible()
    expect(page.get_by_text("SEC-05").first).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    shot(page, "evaluation")
    page.get_by_role("button", name="保存评估").click()
    expect(page.get_by_text("已保存").first).to_be_visible()

    # The calibration session: q1 scores last, then reads the agreement.
    cal = next(a for a in session.assignments.all() if a.evaluator_id == q1.id)
    page.goto(f"{base}/qc/evaluations/a/{cal.id}/")
    page.get_by_role("button", name="保存评估").click()
    page.goto(f"{base}/qc/evaluations/calibrations/{session.id}/")
    expect(page.get_by_text("Krippendorff α 系数")).to_be_visible()
    expect(page.locator("p.alpha strong")).not_to_have_text("—")
    assert_accessible(page)
    shot(page, "evaluation-calibration", full_page=True)

    # The first evaluator may not decide the dispute on their own evaluation; q2 overturns it.
    page.goto(f"{base}/qc/evaluations/disputes/")
    expect(page.get_by_text("本人所评")).to_be_visible()
    page.context.clear_cookies()
    login(page, base, "q2")
    page.goto(f"{base}/qc/evaluations/disputes/")
    page.get_by_role("button", name="改判").click()
    expect(page.get_by_text("撤销违规结论 1 条")).to_be_visible()
    assert q2 and q3 and second
