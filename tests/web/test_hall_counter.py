"""The counter terminal: hall staff call, serve, transfer, verify and hand over through htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, Handover, Ticket
from guifan.apps.hall.posts import post_get, post_set
from guifan.apps.norms.models import NormCheck
from guifan.apps.stars.models import StarMember
from tests import factories as f

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def hall(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=1, categories=["A", "B"], status="open")
    Counter.objects.create(hall=h, number=2, categories=["A"], status="closed")
    return h


@pytest.fixture
def staff(hall):
    u = f.user(Role.HALL_STAFF, "zhang")
    post_set(user=u, hall_code="H1", counter_number=1)
    return u


@pytest.fixture
def web(staff):
    c = Client()
    c.force_login(staff)
    return c


def act(web, action, **data):
    return web.post(f"/hall/counter/{action}/", data, **HX)


def issue(category="A", **kw):
    return services.ticket_issue(by=None, hall_code="H1", category=category, **kw)


def test_the_terminal_shows_the_posted_counter_and_its_queue(web, clock):
    issue()
    clock.advance(dt.timedelta(minutes=4))
    page = web.get("/hall/counter/").content.decode()
    assert "1 号窗口 · 春熙路营业厅" in page
    assert "本窗口等候：1 人" in page
    assert "叫下一位" in page


def test_a_full_service_from_call_to_finish(web, clock):
    t = issue(preprocessing=["id_ready"])
    called = act(web, "call")
    assert called.status_code == 200 and "A001" in called.content.decode()
    assert "您好，请坐！" in called.content.decode()  # the greeting of LNG-06
    assert "等候时已说明（HAL-07）： 我已带好身份证" in called.content.decode()
    clock.advance(dt.timedelta(minutes=2))
    started = act(web, "start", ticket=t.id)
    assert "办理完成时请说" in started.content.decode()
    act(web, "finish", ticket=t.id)
    t.refresh_from_db()
    assert t.status == "done" and t.counter.number == 1
    assert NormCheck.objects.filter(norm_id="HAL-02", kept=True).count() == 1


def test_calling_with_nobody_waiting_says_so(web):
    assert "本窗口暂无等候的客户" in act(web, "call").content.decode()


def test_a_service_refusal_is_shown_in_chinese_next_to_the_control(web, hall):
    Counter.objects.filter(number=1).update(status="paused")
    issue()
    r = act(web, "call")
    assert r.status_code == 409
    assert '<p class="errorlist" role="alert">H1-1号窗口 未开放，不能叫号</p>' in r.content.decode()
    assert Ticket.objects.get().status == "waiting"


def test_the_same_refusal_is_english_on_the_english_page(web, hall):
    Counter.objects.filter(number=1).update(status="paused")
    issue()
    web.post("/i18n/setlang/", {"language": "en", "next": "/hall/counter/"})
    r = act(web, "call")
    assert r.status_code == 409
    page = r.content.decode()
    assert "This counter is not open: it cannot call." in page and "未开放" not in page


def test_a_stale_page_is_told_not_obeyed(web):
    first = issue()
    issue()
    act(web, "call")
    r = act(web, "finish", ticket=first.id + 1)
    assert r.status_code == 409 and "页面已过期" in r.content.decode()
    assert Ticket.objects.get(id=first.id).status == "called"


def test_no_show_and_transfer_from_the_terminal(web):
    gone, moved = issue(), issue()
    act(web, "call")
    act(web, "no-show", ticket=gone.id)
    act(web, "call")
    act(web, "start", ticket=moved.id)
    r = act(web, "transfer", ticket=moved.id, category="B")
    assert "客户的新号码为 B001" in r.content.decode()
    assert list(Ticket.objects.order_by("id").values_list("status", flat=True)) == [
        "no_show",
        "transferred",
        "waiting",
    ]


def test_staff_verify_a_claimed_star_level_from_the_record(web):
    StarMember.objects.create(ref="CRM-1", name="王", phone="13800001111", level=5)
    t = issue(star_claimed=6, phone="13800001111")
    page = web.get("/hall/counter/").content.decode()
    assert "A001" in page and "待核验的星级" in page and "138****1111" in page
    assert "13800001111" not in page  # SEC-01
    refused = act(web, "verify", ticket=t.id)  # identity not checked: refused (HAL-04)
    assert refused.status_code == 422 and "须先核对客户身份" in refused.content.decode()
    r = act(web, "verify", ticket=t.id, id_checked="1")
    body = r.content.decode()
    assert "A001：档案星级为 5 星。" in body and "客户自报 6 星，与档案不符" in body
    t.refresh_from_db()
    assert (t.star_verified, t.star_record, t.star_mismatch) == (5, 5, True)
    checks = NormCheck.objects.filter(norm_id="HAL-04").order_by("id")
    assert [c.kept for c in checks] == [False, True]


def test_pausing_the_counter(web):
    act(web, "status", status="paused")
    assert Counter.objects.get(number=1).status == "paused"


def test_handover_is_refused_mid_service_then_recorded(web, staff):
    nxt = f.user(Role.HALL_STAFF, "li")
    post_set(user=nxt, hall_code="H1")
    t = issue()
    act(web, "call")
    refused = act(web, "handover", to="li", pending="回复王女士退费进度")
    assert refused.status_code == 422 and "办理中，不能交接" in refused.content.decode()
    act(web, "no-show", ticket=t.id)
    done = act(web, "handover", to="li", pending="回复王女士退费进度\n")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert Handover.objects.get().pending_replies == ["回复王女士退费进度"]
    assert post_get(nxt).counter.number == 1 and post_get(staff).counter is None
    assert "未分配窗口" in web.get("/hall/counter/").content.decode()
    assert web.get("/hall/counter/", **HX)["HX-Refresh"] == "true"  # the polling panel reloads


def test_staff_without_a_post_are_told_and_other_roles_refused(hall):
    c = Client()
    c.force_login(f.user(Role.HALL_STAFF))
    assert "未分配窗口" in c.get("/hall/counter/").content.decode()
    c.force_login(f.user(Role.TECHNICIAN))
    assert c.get("/hall/counter/").status_code == 403
    assert c.post("/hall/counter/call/").status_code == 403


def test_unknown_actions_and_gets_are_refused(web):
    assert act(web, "explode").status_code == 404
    assert web.get("/hall/counter/call/").status_code == 405
