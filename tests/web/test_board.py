"""Dispatcher board views: the day, live fragment, reassign (with its checks) and the plan."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.clock import at_local
from tests import factories as f
from tests.web.board_data import DAY, area_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatcher(client: Client) -> Client:
    client.force_login(f.user(Role.DISPATCHER))
    return client


def test_the_board_shows_rows_open_visits_and_the_late_risk(clock, dispatcher):
    day = area_day(clock)
    page = dispatcher.get("/board/", {"area": "A01", "date": DAY.isoformat()})
    html = page.content.decode()
    assert page.status_code == 200
    assert "王师傅" in html and "李师傅" in html
    assert day.open.order.number in html  # unassigned list
    assert "1 个有迟到风险" in html
    assert "13912345678" not in html  # SEC-01: never the full number


def test_the_live_fragment_answers_204_while_nothing_changed(clock, dispatcher):
    day = area_day(clock)
    first = dispatcher.get("/board/live/", {"area": "A01", "date": DAY.isoformat()})
    stamp = first.content.decode().split('id="board-stamp" value="')[1].split('"')[0]
    same = dispatcher.get("/board/live/", {"area": "A01", "date": DAY.isoformat(), "stamp": stamp})
    assert same.status_code == 204
    Appointment.objects.filter(id=day.open.id).update(planned_arrival=day.open.window_start)
    WorkOrder.objects.filter(id=day.open.order_id).update(version=99)
    changed = dispatcher.get(
        "/board/live/", {"area": "A01", "date": DAY.isoformat(), "stamp": stamp}
    )
    assert changed.status_code == 200


def test_reassign_goes_through_the_services_and_refuses_a_stale_page(clock, dispatcher):
    day = area_day(clock)
    appt = day.planned[1]
    other = next(t for t in day.techs if t.id != appt.technician_id)
    version = appt.order.version
    url = f"/board/visits/{appt.id}/assign/"
    ok = dispatcher.post(url, {"technician": other.id, "arrival": "10:50", "version": version})
    assert ok.status_code == 200, ok.content.decode()
    assert ok["HX-Trigger"] == "board-changed"
    appt.refresh_from_db()
    assert appt.technician_id == other.id
    assert appt.planned_departure is not None and appt.planned_departure < appt.planned_arrival
    assert NormCheck.objects.filter(order_id=appt.order_id, norm_id="DSP-05", kept=True).exists()
    stale = dispatcher.post(url, {"technician": other.id, "arrival": "10:45", "version": version})
    assert stale.status_code == 409
    assert "已被他人修改" in stale.content.decode()


def test_reassign_errors_are_shown_next_to_the_field(clock, dispatcher):
    day = area_day(clock)
    appt = day.planned[1]
    v = appt.order.version
    url = f"/board/visits/{appt.id}/assign/"
    late = dispatcher.post(url, {"technician": day.techs[0].id, "arrival": "23:00", "version": v})
    assert late.status_code == 422
    assert "晚于预约时间窗结束" in late.content.decode()
    bad = dispatcher.post(url, {"technician": "", "arrival": "9点", "version": v})
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "请选择装维人员" in body and "请输入时间" in body


def test_an_uncertified_technician_is_refused_by_dsp05(clock, dispatcher):
    day = area_day(clock)
    stranger = f.technician(work_types=("iptv_install",))
    appt = day.planned[1]
    resp = dispatcher.post(
        f"/board/visits/{appt.id}/assign/",
        {"technician": stranger.id, "arrival": "10:50", "version": appt.order.version},
    )
    assert resp.status_code == 422
    assert "资格认证" in resp.content.decode()


def test_running_the_optimizer_assigns_the_open_visit(clock, dispatcher):
    day = area_day(clock)
    resp = dispatcher.post("/board/plan/", {"area": "A01", "date": DAY.isoformat()})
    assert resp.status_code == 200
    assert "优化器已派工 1 个上门" in resp.content.decode()
    assert Appointment.objects.get(id=day.open.id).technician_id is not None


def test_bad_filters_are_named(clock, dispatcher):
    resp = dispatcher.get("/board/", {"area": "NOPE", "date": "2025-13-40"})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "没有这个服务片区" in body and "请输入日期" in body


def test_only_dispatchers_and_admins_see_the_board(clock, client):
    client.force_login(f.user(Role.TECHNICIAN))
    assert client.get("/board/").status_code == 403
    anon = Client()
    assert anon.get("/board/").status_code == 302


def test_posts_need_the_csrf_token(clock):
    day = area_day(clock)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(f.user(Role.DISPATCHER))
    resp = strict.post("/board/plan/", {"area": "A01", "date": DAY.isoformat()})
    assert resp.status_code == 403
    assert Appointment.objects.get(id=day.open.id).technician_id is None


def test_the_cheap_stamp_is_the_boards_stamp(clock):
    from guifan.apps.dispatch.board import board_day, board_stamp

    day = area_day(clock)
    for at in ("10:05", "08:00"):  # with and without the late risk
        clock.set(at_local(DAY, at))
        full = board_day(area_code="A01", day=DAY, now=clock.now(), by=None)
        assert board_stamp(area_code="A01", day=DAY, now=clock.now(), by=None) == full.stamp
    assert day.open.technician_id is None


def test_visits_already_made_stay_on_the_timeline(clock, dispatcher):
    from guifan.apps.orders import services

    day = area_day(clock)
    done = day.planned[0]
    for action in ("depart", "arrive", "complete"):
        services.work_order_transition(order_id=done.order_id, action=action, by=None)
    assert Appointment.objects.get(id=done.id).status == "done"
    html = dispatcher.get("/board/", {"area": "A01", "date": DAY.isoformat()}).content.decode()
    assert f'data-appointment="{done.id}"' in html
    assert "s-done" in html


def test_replan_from_the_board_moves_an_absent_technicians_visits(clock, dispatcher):
    day = area_day(clock)
    gone = day.planned[0].technician_id
    resp = dispatcher.post(
        "/board/replan/", {"area": "A01", "date": DAY.isoformat(), "absent": [str(gone)]}
    )
    body = resp.content.decode()
    assert resp.status_code == 200 and resp["HX-Trigger"] == "board-changed"
    assert "已重新排程" in body and "DSP-04" in body
    assert day.planned[0].order.number in body
    left = Appointment.objects.filter(id__in=[a.id for a in day.planned[1:]], technician_id=gone)
    assert not left.exists()


def test_the_board_names_a_visit_changed_while_replanning(clock, dispatcher, monkeypatch):
    from guifan.apps.dispatch import replan as replan_mod
    from guifan.apps.orders import services

    day = area_day(clock)
    gone = day.planned[0].technician_id
    changed = [a for a in day.planned[1:] if a.technician_id == gone][-1]
    replan = replan_mod.replan

    def replan_then_the_technician_sets_off(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = replan(*args, **kwargs)
        services.work_order_transition(order_id=changed.order_id, action="depart", by=None)
        return result

    monkeypatch.setattr(replan_mod, "replan", replan_then_the_technician_sets_off)
    resp = dispatcher.post(
        "/board/replan/", {"area": "A01", "date": DAY.isoformat(), "absent": [str(gone)]}
    )
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "重新排程期间已被修改" in body and changed.order.number in body


def test_the_reassign_panel_shows_the_planned_arrival_in_local_time(clock, dispatcher):
    """A visit planned at 12:22 (Asia/Shanghai) is offered at 12:22, not 04:22 (issue 16)."""
    day = area_day(clock)
    appt = day.planned[2]
    Appointment.objects.filter(id=appt.id).update(planned_arrival=at_local(DAY, "12:22"))
    panel = dispatcher.get(f"/board/visits/{appt.id}/").content.decode()
    assert 'value="12:22"' in panel
