"""The dispatch centre's plan runs page: start a day's plans, follow each area (issue 18 §5)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_tasks import default_task_backend

from guifan.apps.accounts.models import Role
from guifan.apps.dispatch.models import PlanRun
from guifan.apps.dispatch.runs import plan_run_execute
from tests import factories as f
from tests.apps.dispatch.test_plan import DAY, booked, on_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatcher(client: Client) -> Client:
    client.force_login(f.user(Role.DISPATCHER, areas=("A01", "A02")))
    return client


def main_text(html: str) -> str:
    """The page's own content (not the header's language switch), tags and scripts removed."""
    body = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_a_started_day_shows_each_area_in_chinese_and_follows_the_runs(clock, dispatcher):
    default_task_backend.clear()
    on_shift(f.technician(work_types=("broadband_repair",)))
    booked(9)
    f.area("A03")  # another desk's area: never on this page
    empty = dispatcher.get("/board/plans/", {"date": DAY.isoformat()}).content.decode()
    assert "尚未启动排程" in empty
    started = dispatcher.post("/board/plans/", {"date": DAY.isoformat(), "area": ""})
    assert started.status_code == 302 and started["Location"].endswith(f"?date={DAY}")
    page = dispatcher.get(started["Location"]).content.decode()
    text = main_text(page)
    assert "A01" in text and "A02" in text and "A03" not in text
    assert "排队中" in text and "已完成 0 / 2 个片区" in text
    assert 'hx-trigger="every 5s"' in page  # polls while runs are open
    # No English words on the Chinese page (area codes and dates aside).
    assert re.findall(r"[A-Za-z]{3,}", text) == []
    for run in PlanRun.objects.all():
        plan_run_execute(run_id=run.id, worker="w1", now=clock.now())
    live = dispatcher.get("/board/plans/live/", {"date": DAY.isoformat()}).content.decode()
    assert "已完成 2 / 2 个片区" in live and "已安排 1 个上门" in live
    assert "every 5s" not in live  # finished: no more polling


def test_the_english_switch_and_a_busy_area_reason(clock, dispatcher):
    dispatcher.post("/board/plans/", {"date": DAY.isoformat(), "area": "A01"})
    PlanRun.objects.update(reason_code="area.busy", reason="片区 A01 正在排程，请稍后再试")
    zh = main_text(dispatcher.get("/board/plans/", {"date": DAY.isoformat()}).content.decode())
    assert "该片区另有排程正在运行" in zh
    dispatcher.cookies["guifan_language"] = "en"
    en = main_text(dispatcher.get("/board/plans/", {"date": DAY.isoformat()}).content.decode())
    assert "Plan runs" in en and "Queued" in en and "0 of 1 areas done" in en
    assert "Another plan of this area was running" in en
    assert "排队中" not in en


def test_another_area_or_a_past_day_is_refused_and_named(clock, dispatcher):
    f.area("A03")
    other = dispatcher.post("/board/plans/", {"date": DAY.isoformat(), "area": "A03"})
    assert other.status_code == 422 and "A03" not in main_text(other.content.decode())
    past = dispatcher.post("/board/plans/", {"date": "2025-06-01", "area": ""})
    assert past.status_code == 422
    assert "已过" in past.content.decode()
    assert not PlanRun.objects.exists()


def test_the_board_says_when_another_plan_holds_the_area(clock, dispatcher):
    from guifan.apps.workforce.models import ServiceArea
    from tests.apps.dispatch.test_batches import held_elsewhere

    area = ServiceArea.objects.get(code="A01")
    with held_elsewhere(area):
        plan = dispatcher.post("/board/plan/", {"area": "A01", "date": DAY.isoformat()})
        replan = dispatcher.post("/board/replan/", {"area": "A01", "date": DAY.isoformat()})
        dispatcher.cookies["guifan_language"] = "en"
        english = dispatcher.post("/board/plan/", {"area": "A01", "date": DAY.isoformat()})
    assert plan.status_code == replan.status_code == english.status_code == 409
    assert "正在排程" in plan.content.decode() and "正在排程" in replan.content.decode()
    assert "Another plan of this service area is running" in english.content.decode()
