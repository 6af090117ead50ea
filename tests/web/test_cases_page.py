"""The cases pages: open first with overdue flagged, the case's timeline and actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.cases.models import Case
from guifan.apps.cases.services import case_open_dissatisfied
from guifan.apps.orders.models import WorkOrder
from guifan.apps.timers.services import timers_fire_due

pytestmark = pytest.mark.django_db


def opened(city):
    order = WorkOrder.objects.get(id=city.own.order_id)
    case, _ = case_open_dissatisfied(
        order=order,
        source="rating",
        reason="客户评分 1 分",
        at=city.clock.now(),
        by=city.own.technician_user,
    )
    return case


def browser(city, role):
    c = Client()
    c.force_login(city.users[role])
    return c


def test_the_list_shows_open_cases_first_overdue_flagged_and_phones_masked(city):
    case = opened(city)
    city.clock.advance(dt.timedelta(hours=25))
    timers_fire_due(now=city.clock.now(), worker_id="t")
    html = browser(city, Role.QUALITY).get("/qc/cases/", {"kind": "QA-02"}).content.decode()
    assert f"#{case.id}" in html and "不满意跟踪（QA-02）" in html
    assert "1 个案件已逾期" in html and "139****5678" in html and "13912345678" not in html
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert f"#{case.id}" in first_row and "已逾期" in first_row
    assert "Cases" not in html  # no English on the Chinese page


def test_closing_on_the_page_without_confirmation_is_refused_naming_qa02(city):
    case = opened(city)
    q = browser(city, Role.QUALITY)
    r = q.post(f"/qc/cases/{case.id}/close/", {"outcome": "已处理"})
    assert r.status_code == 422 and "QA-02" in r.content.decode()
    r = q.post(
        f"/qc/cases/{case.id}/contact/",
        {"reached": "on", "satisfied": "on", "who": "张先生", "via": "phone"},
    )
    assert r.status_code == 303
    r = q.post(f"/qc/cases/{case.id}/close/", {"outcome": "客户满意"})
    assert r.status_code == 303
    page = q.get(f"/qc/cases/{case.id}/").content.decode()
    assert "客户确认满意" in page and "张先生" in page
    assert Case.objects.get(id=case.id).status == "resolved"


def test_the_english_switch_translates_the_case_page(city):
    case = opened(city)
    q = browser(city, Role.QUALITY)
    q.cookies["guifan_language"] = "en"
    html = q.get(f"/qc/cases/{case.id}/").content.decode()
    assert "Record a contact" in html and "Timeline" in html


def test_the_systems_notes_and_verdicts_on_the_timeline_follow_the_english_switch(city):
    case = opened(city)
    city.clock.advance(dt.timedelta(hours=25))
    timers_fire_due(now=city.clock.now(), worker_id="t")
    q = browser(city, Role.QUALITY)
    zh = q.get(f"/qc/cases/{case.id}/").content.decode()
    q.cookies["guifan_language"] = "en"
    en = q.get(f"/qc/cases/{case.id}/").content.decode()
    timeline = en.split("Timeline")[1].split("</ol>")[0].split("</ul>")[0]
    assert "未按时回访" in zh and "Follow-up call missed" in timeline
    assert "未按时回访" not in en and "客户仍未确认满意" not in en


def test_a_summary_the_system_wrote_reads_in_english(city):
    from guifan.norms.reasons import message, reason

    why = reason("case.unsigned")
    case, _ = case_open_dissatisfied(
        order=WorkOrder.objects.get(id=city.own.order_id),
        source="signature",
        reason=why.zh(),
        at=city.clock.now(),
        by=city.own.technician_user,
        detail={"signed": False, **message(why)},
    )
    q = browser(city, Role.QUALITY)
    assert "<dd>客户未签名</dd>" in q.get(f"/qc/cases/{case.id}/").content.decode()
    q.cookies["guifan_language"] = "en"
    en = q.get(f"/qc/cases/{case.id}/").content.decode()
    assert "<dd>The customer did not sign</dd>" in en and "客户未签名" not in en
