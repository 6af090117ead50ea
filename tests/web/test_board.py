"""Dispatcher board views: the day, live fragment, reassign (with its checks) and the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.apps.workforce.models import Shift
from guifan.clock import at_local, local
from tests import factories as f
from tests.visits import visit_finish
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
    f.kit_ready(done.order_id)
    for action in ("depart", "arrive"):
        services.work_order_transition(order_id=done.order_id, action=action, by=None)
    visit_finish(done.order_id)
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


def test_an_absent_id_python_cannot_read_is_ignored_not_a_500(clock, dispatcher):
    day = area_day(clock)
    gone = day.planned[0].technician_id
    form = {"area": "A01", "date": DAY.isoformat(), "absent": ["²", str(gone)]}
    resp = dispatcher.post("/board/replan/", form)  # "²" passes str.isdigit, not int()
    assert resp.status_code == 200 and "已重新排程" in resp.content.decode()


def test_the_board_names_a_visit_changed_while_replanning(clock, dispatcher, monkeypatch):
    from guifan.apps.dispatch import replan as replan_mod
    from guifan.apps.orders import services

    day = area_day(clock)
    gone = day.planned[0].technician_id
    changed = [a for a in day.planned[1:] if a.technician_id == gone][-1]
    replan = replan_mod.replan

    def replan_then_the_technician_sets_off(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = replan(*args, **kwargs)
        f.kit_ready(changed.order_id)
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


def test_a_double_booking_is_confirmed_before_it_is_assigned(clock, dispatcher):
    day = area_day(clock)
    taken, moved = day.planned[1], day.planned[2]
    assert taken.planned_arrival is not None and taken.technician_id is not None
    at = f"{local(taken.planned_arrival):%H:%M}"
    url = f"/board/visits/{moved.id}/assign/"
    form = {"technician": taken.technician_id, "arrival": at, "version": moved.order.version}
    ask = dispatcher.post(url, form)
    body = ask.content.decode()
    assert ask.status_code == 409
    assert "改派前请确认：" in body and "上门时间重叠" in body and taken.order.number in body
    assert 'name="confirmed"' in body and "我已知晓以上提醒，仍然改派" in body
    assert Appointment.objects.get(id=moved.id).technician_id == moved.technician_id
    warned = body.split('name="warned" value="')[1].split('"')[0]
    ok = dispatcher.post(url, {**form, "warned": warned, "confirmed": "on"})
    assert ok.status_code == 200, ok.content.decode()
    assert Appointment.objects.get(id=moved.id).technician_id == taken.technician_id


def test_a_confirmation_does_not_carry_over_to_another_arrival(clock, dispatcher):
    day = area_day(clock)
    moved = day.planned[2]
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    url = f"/board/visits/{moved.id}/assign/"
    form = {"technician": tech.id, "arrival": "13:00", "version": moved.order.version}
    body = dispatcher.post(url, form).content.decode()
    warned = body.split('name="warned" value="')[1].split('"')[0]
    again = dispatcher.post(url, {**form, "arrival": "13:20", "warned": warned, "confirmed": "on"})
    assert again.status_code == 409
    assert "晚于时间窗开始 20 分钟到达" in again.content.decode()


def test_the_technician_select_offers_certified_technicians_first(clock, dispatcher):
    day = area_day(clock)
    stranger = f.technician(work_types=("iptv_install",))
    stranger.badge_no = "A0000"  # sorts before everyone by badge
    stranger.save()
    panel = dispatcher.get(f"/board/visits/{day.planned[1].id}/").content.decode()
    select = panel.split('name="technician"')[1].split("</select>")[0]
    certified = [select.index(f'value="{t.id}"') for t in day.techs]
    option = select.split(f'value="{stranger.id}"')[1].split("</option>")[0]
    assert max(certified) < select.index(f'value="{stranger.id}"')
    assert "disabled" in option and "无该工种有效认证" in option
    assert 'label="已认证"' in select and 'label="未认证"' in select


def test_the_plan_result_lists_each_unplaced_visit_with_its_reason(clock, dispatcher):
    area_day(clock)
    nobody = f.order(kind="repair", tier="gold", service_type="iptv")  # nobody is certified
    services.work_order_analyse(order_id=nobody.id, analysis={"probable_cause": "x"}, by=None)
    services.work_order_transition(order_id=nobody.id, action="await_appointment", by=None)
    nobody_appt = services.appointment_book(
        order_id=nobody.id, by=None, window_start=at_local(DAY, "15:00")
    )
    resp = dispatcher.post("/board/plan/", {"area": "A01", "date": DAY.isoformat()})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert nobody_appt.order.number in body
    assert "没有持有该工种有效认证的装维人员（DSP-05）" in body


def test_timeline_blocks_show_work_tier_surname_and_window_never_the_name(clock, dispatcher):
    day = area_day(clock)
    customer = day.planned[1].order.customer
    customer.name, customer.title = "欧阳三丰", "先生"
    customer.save()
    html = dispatcher.get("/board/", {"area": "A01", "date": DAY.isoformat()}).content.decode()
    block = html.split(f'data-appointment="{day.planned[1].id}"')[1].split("</li>")[0]
    assert "宽带维修" in block and "金卡" in block and "欧先生" in block and "11:00–" in block
    assert "欧阳三丰" not in html and customer.phone not in html
    assert f'data-phone="{customer.masked_phone}"' in block
    assert f'data-address="{day.planned[1].order.address.text}"' in block
    assert 'data-event="' in block


def test_a_drop_places_the_visit_in_the_route_and_computes_the_arrival(clock, dispatcher):
    day = area_day(clock)
    moved = day.planned[2]  # 13:00 window
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    url = f"/board/visits/{moved.id}/drop/"
    ok = dispatcher.post(
        url, {"technician": tech.id, "dropped": "12:00", "version": moved.order.version}
    )
    assert ok.status_code == 200, ok.content.decode()
    appt = Appointment.objects.get(id=moved.id)
    assert appt.technician_id == tech.id
    assert appt.planned_arrival == at_local(DAY, "12:50")
    bad = dispatcher.post(url, {"technician": tech.id, "dropped": "noon", "version": 1})
    assert bad.status_code == 422


def test_each_planned_drive_is_a_travel_segment_before_its_block(clock, dispatcher):
    from guifan.apps.dispatch.board import board_day

    area_day(clock)
    html = dispatcher.get("/board/", {"area": "A01", "date": DAY.isoformat()}).content.decode()
    board = board_day(area_code="A01", day=DAY, now=clock.now(), by=None)
    visits = [
        v
        for r in board.rows
        for v in r.visits
        if v.planned_departure and v.planned_arrival and v.planned_departure < v.planned_arrival
    ]
    assert visits  # from home to the first stop at least
    for v in visits:
        assert v.travel_width > 0 and v.travel_left + v.travel_width == pytest.approx(v.left)
        assert f'class="tl-travel" data-left="{v.travel_left}"' in html


def test_changing_only_the_technician_of_a_1222_visit_is_not_refused_as_past(clock, dispatcher):
    """Issue 16's regression: the panel's own arrival (12:22 local, the clock at 10:00) posted
    back with another technician is not "arrival passed" (it was, read as 04:22)."""
    day = area_day(clock)
    appt = day.planned[2]
    Appointment.objects.filter(id=appt.id).update(planned_arrival=at_local(DAY, "12:22"))
    panel = dispatcher.get(f"/board/visits/{appt.id}/").content.decode()
    arrival = panel.split('name="arrival"')[1].split('value="')[1].split('"')[0]
    other = next(t for t in day.techs if t.id != appt.technician_id)
    url = f"/board/visits/{appt.id}/assign/"
    form = {"technician": other.id, "arrival": arrival, "version": appt.order.version}
    ask = dispatcher.post(url, form)
    body = ask.content.decode()
    assert "已过" not in body and ask.status_code != 422, body
    if ask.status_code == 409:  # 38 minutes early: DSP-02 asks for a confirmation only
        warned = body.split('name="warned" value="')[1].split('"')[0]
        ask = dispatcher.post(url, {**form, "warned": warned, "confirmed": "on"})
    assert ask.status_code == 200, ask.content.decode()
    done = Appointment.objects.get(id=appt.id)
    assert done.technician_id == other.id and done.planned_arrival == at_local(DAY, "12:22")


def test_an_expired_certificate_is_greyed_with_its_date(clock, dispatcher):
    import datetime as dt

    from guifan.apps.workforce.models import Certification

    day = area_day(clock)
    appt = day.planned[1]
    lapsed = f.technician(work_types=())
    Certification.objects.create(
        technician=lapsed, work_type=appt.order.work_type, valid_until=dt.date(2025, 5, 1)
    )
    panel = dispatcher.get(f"/board/visits/{appt.id}/").content.decode()
    option = panel.split(f'value="{lapsed.id}"')[1].split("</option>")[0]
    assert "disabled" in option and "资格证书已于 2025-05-01 过期" in option


def test_the_unplaced_reasons_follow_the_language_switch(clock, dispatcher):
    area_day(clock)
    nobody = f.order(kind="repair", tier="gold", service_type="iptv")  # nobody is certified
    services.work_order_analyse(order_id=nobody.id, analysis={"probable_cause": "x"}, by=None)
    services.work_order_transition(order_id=nobody.id, action="await_appointment", by=None)
    services.appointment_book(order_id=nobody.id, by=None, window_start=at_local(DAY, "15:00"))
    dispatcher.cookies["guifan_language"] = "en"
    body = dispatcher.post("/board/plan/", {"area": "A01", "date": DAY.isoformat()}).content
    text = body.decode()
    assert nobody.number in text
    assert "No technician holds a valid certificate for this work type (DSP-05)" in text
    assert "没有持有" not in text


def test_the_warnings_of_a_manual_assignment_follow_the_english_switch(clock, dispatcher):
    day = area_day(clock)
    taken, moved = day.planned[1], day.planned[2]
    assert taken.planned_arrival is not None and taken.technician_id is not None
    tech = next(t for t in day.techs if t.id == taken.technician_id)
    Shift.objects.filter(technician=tech, date=DAY).update(end=dt.time(13, 15))
    dispatcher.cookies["guifan_language"] = "en"
    url = f"/board/visits/{moved.id}/assign/"
    at = f"{local(taken.planned_arrival):%H:%M}"
    form = {"technician": tech.id, "arrival": at, "version": moved.order.version}
    body = dispatcher.post(url, form).content.decode()
    assert f"Overlaps the visit of order {taken.order.number} (" in body
    assert f"The work ends at 13:45, after {tech.name}&#x27;s shift ends at 13:15." in body
    early = 13 * 60 - int(at[:2]) * 60 - int(at[3:])
    assert f"Arrives {early} minutes early; DSP-02 asks for 5–10 minutes early." in body
    assert "上门时间重叠" not in body and "下班时间" not in body
    late = dispatcher.post(url, {**form, "arrival": "13:20"}).content.decode()
    assert "Arrives 20 minutes after the window opens; DSP-02 asks for 5–10" in late


def test_the_board_costs_a_fixed_number_of_queries(clock, dispatcher, django_assert_num_queries):
    """A count that does not grow with the visits (ADR 0031): 14 since the dispatcher's areas
    are read once per request (the request memo; 15 before)."""
    area_day(clock)
    dispatcher.get("/board/", {"area": "A01", "date": DAY.isoformat()})
    with django_assert_num_queries(14):
        page = dispatcher.get("/board/", {"area": "A01", "date": DAY.isoformat()})
    assert page.status_code == 200
