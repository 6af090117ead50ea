"""The duty manager sees the hall's queues, counters and alerts, and opens a counter."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, HallAlert, PlaybookRun, Ticket
from guifan.apps.hall.monitor import hall_monitor_start
from guifan.apps.hall.posts import post_get, post_set
from guifan.apps.norms.models import NormCheck
from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timers_fire_due
from tests import factories as f

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def busy(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=hall, number=1, categories=["A"], status="open")
    Counter.objects.create(hall=hall, number=2, categories=["A"], status="closed")
    for _ in range(9):
        services.ticket_issue(by=None, hall_code="H1", category="A")
    hall_monitor_start(hall=hall, at=clock.now())
    timers_fire_due(now=clock.now(), worker_id="t")
    return hall


@pytest.fixture
def manager(busy):
    u = f.user(Role.DUTY_MANAGER, "wang")
    post_set(user=u, hall_code="H1")
    c = Client()
    c.force_login(u)
    return c


def test_the_manager_sees_the_peak_alert_and_the_counters(manager):
    page = manager.get("/hall/overview/").content.decode()
    assert "高峰：每个开放窗口等候人数过多（HAL-03）" in page
    assert "每个开放窗口 9.0 人等候" in page
    assert "9 人等候，1 个窗口开放" in page
    assert "2 号窗口" in page and "加开窗口" in page


def test_opening_a_counter_for_a_colleague_answers_the_alert(manager, busy, clock):
    li = f.user(Role.HALL_STAFF, "li")
    post_set(user=li, hall_code="H1")
    counter = Counter.objects.get(number=2)
    r = manager.post("/hall/overview/open/", {"counter": counter.id, "staff": "li"}, **HX)
    assert r.status_code == 200 and "暂无未处置预警" in r.content.decode()
    counter.refresh_from_db()
    assert (counter.status, counter.staff) == ("open", li)
    assert post_get(li).counter == counter
    assert HallAlert.objects.get(kind="peak").acted_at == clock.now()
    assert list(NormCheck.objects.filter(norm_id="HAL-03").values_list("kept", flat=True)) == [True]


def test_opening_without_a_counter_is_refused_in_chinese(manager):
    r = manager.post("/hall/overview/open/", {"counter": ""}, **HX)
    assert r.status_code == 422 and "请选择窗口" in r.content.decode()
    assert HallAlert.objects.get(kind="peak").acted_at is None


def test_a_manager_without_a_post_is_told(busy):
    c = Client()
    c.force_login(f.user(Role.DUTY_MANAGER, hall=""))
    assert "未分配营业厅" in c.get("/hall/overview/").content.decode()
    c.force_login(f.user(Role.HALL_STAFF))
    assert c.get("/hall/overview/").status_code == 403


def test_the_manager_runs_a_playbook_from_the_page(manager):
    page = manager.get("/hall/playbooks/").content.decode()
    assert "雨雪天气" in page and "火警" in page
    r = manager.post("/hall/playbooks/start/", {"kind": "rain and snow"}, **HX)
    assert "在营业厅门口放置告示牌，提示客户小心路滑" in r.content.decode()
    run = PlaybookRun.objects.get()
    for step in range(4):
        manager.post("/hall/playbooks/step/", {"run": run.id, "step": step, "done": "1"}, **HX)
    r = manager.post("/hall/playbooks/close/", {"run": run.id}, **HX)
    assert r.status_code == 200 and "最近使用" in r.content.decode()
    assert "完成 4 步" in r.content.decode()
    assert NormCheck.objects.get(norm_id="HAL-11").kept is True
    again = manager.post("/hall/playbooks/close/", {"run": run.id}, **HX)
    assert again.status_code == 409 and "该预案已结束" in again.content.decode()


def test_the_manager_records_pre_processing_for_a_waiting_customer(manager):
    first = Ticket.objects.order_by("id").first()
    page = manager.get("/hall/overview/").content.decode()
    assert "A001" in page and "等候客户：预处理（HAL-07）" in page
    r = manager.post("/hall/overview/preprocess/", {"ticket": first.id, "step": "id_checked"}, **HX)
    assert r.status_code == 200 and "证件已核验" in r.content.decode()
    first.refresh_from_db()
    assert first.preprocessing == ["id_checked"]
    bad = manager.post("/hall/overview/preprocess/", {"ticket": first.id, "step": "x"}, **HX)
    assert bad.status_code == 422 and "预处理事项无效" in bad.content.decode()
    for odd in ("²", "x", "99999999999999999999"):  # a ticket no one has: 404, never a 500
        r = manager.post("/hall/overview/preprocess/", {"ticket": odd, "step": "id_checked"}, **HX)
        assert r.status_code == 404


def test_a_need_the_kiosk_heard_is_shown_as_due_until_met(manager):
    told = services.ticket_issue(
        by=None, hall_code="H1", category="A", preprocessing=["only_question"]
    )
    page = manager.get("/hall/overview/").content.decode()
    assert page.count("待办：简单问题已解答") == 1  # HAL-07: the call would break it
    assert '<option value="question_answered" selected>' in page
    r = manager.post(
        "/hall/overview/preprocess/", {"ticket": told.id, "step": "question_answered"}, **HX
    )
    assert r.status_code == 200 and "待办：" not in r.content.decode()
    assert "、简单问题已解答" in r.content.decode()  # a Chinese list, not "; "


def test_the_live_overview_reads_a_fixed_number_of_queries(manager, django_assert_max_num_queries):
    for _ in range(15):
        services.ticket_issue(by=None, hall_code="H1", category="A")
    with django_assert_max_num_queries(20):
        r = manager.get("/hall/overview/", **HX)
    body = r.content.decode()
    assert "24 人等候" in body and "A020" in body and "A021" not in body  # the oldest 20


def test_the_manager_starts_todays_monitoring(clock):
    Hall.objects.create(code="H3", name="天府广场营业厅")
    u = f.user(Role.DUTY_MANAGER)
    post_set(user=u, hall_code="H3")
    c = Client()
    c.force_login(u)
    assert "排队监测（HAL-03 高峰、HAL-02 等候）未运行" in c.get("/hall/overview/").content.decode()
    r = c.post("/hall/overview/monitor/", **HX)
    assert "未运行" not in r.content.decode()
    assert Timer.objects.filter(kind="hal.monitor", status="pending").count() == 1


def test_a_counter_is_not_opened_for_someone_outside_the_hall_staff(manager):
    counter = Counter.objects.get(number=2)
    f.user(Role.TECHNICIAN, "tech")
    r = manager.post("/hall/overview/open/", {"counter": counter.id, "staff": "tech"}, **HX)
    assert r.status_code == 422 and "请选择本厅的人员" in r.content.decode()
    counter.refresh_from_db()
    assert counter.status == "closed"
