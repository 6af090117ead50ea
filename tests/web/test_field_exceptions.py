"""The technician's exception pages and the desk's care agreements page (Chinese by default)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from guifan.apps.care.services import AgreementIn, care_agreement_create
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import OrderEvent
from tests import factories as f
from tests.apps.fieldwork.visits import field_user, field_visit, on_site

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client(HTTP_HOST="localhost")
    c.force_login(user)
    return c


def test_the_visit_page_links_to_the_exceptions_while_on_site(clock):
    user = field_user()
    order = field_visit(user)
    c = client_for(user)
    assert "现场异常" not in c.get(reverse("field:visit", args=[order.id])).content.decode()
    on_site(user, order)
    page = c.get(reverse("field:visit", args=[order.id])).content.decode()
    assert reverse("field:exceptions", args=[order.id]) in page and "现场异常" in page


def test_the_exception_list_puts_safety_first(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    page = client_for(user).get(reverse("field:exceptions", args=[order.id])).content.decode()
    assert "先离开，确保安全，再联系中心" in page
    assert page.index("服务人员遭辱骂、殴打或威胁") < page.index("客户家临时停电")
    assert 'href="tel:10000"' in page


def test_a_safety_screen_says_to_leave_first(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    url = reverse("field:exception", args=[order.id, "abused_threatened"])
    page = client_for(user).get(url).content.decode()
    assert page.index("先离开，确保安全，再联系中心") < page.index("不与客户发生正面冲突")
    assert 'href="tel:10000"' in page and "SEC-06" in page


def test_a_screen_records_the_exception_and_returns_to_the_route(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    url = reverse("field:exception_record", args=[order.id, "refused_entry"])
    data = {
        "version": order.version,
        "badge_shown": "on",
        "new_time_agreed": "on",
        "reason": "不信任",
    }
    r = client_for(user).post(url, data)
    assert r.status_code == 302 and r["Location"] == reverse("field:today")
    order.refresh_from_db()
    assert order.status == "awaiting_appointment"
    event = OrderEvent.objects.get(order=order, action="field_exception")
    assert event.detail["steps"] == {
        "badge_shown": True,
        "hotline_given": False,
        "new_time_agreed": True,
    }
    assert NormCheck.objects.filter(order=order, norm_id="APT-06", kept=True).exists()


def test_a_compensation_demand_returns_to_the_visit(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    url = reverse("field:exception_record", args=[order.id, "compensation_demand"])
    data = {
        "version": order.version,
        "apologised": "on",
        "centre_reported": "on",
        "claim": "赔地板",
    }
    r = client_for(user).post(url, data)
    assert r.status_code == 302 and r["Location"] == reverse("field:visit", args=[order.id])


def test_a_missing_answer_is_shown_next_to_its_question(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    url = reverse("field:exception_record", args=[order.id, "abused_threatened"])
    r = client_for(user).post(url, {"version": order.version, "what": "threatened"})
    assert r.status_code == 422
    assert "请回答：有人受伤" in r.content.decode()
    order.refresh_from_db()
    assert order.status == "on_site"


def test_an_unknown_kind_is_not_found(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    c = client_for(user)
    assert c.get(reverse("field:exception", args=[order.id, "flood"])).status_code == 404
    url = reverse("field:exception_record", args=[order.id, "flood"])
    assert c.post(url, {"version": order.version}).status_code == 404


def test_the_desk_lists_the_agreements_of_its_areas(clock):
    f.area("A01"), f.area("A02")
    for area in ("A01", "A02"):
        care_agreement_create(
            data=AgreementIn(
                customer_name=f"王{area}",
                phone="13912340000",
                address="红星路3号",
                area=area,
                description="居家养老上门关怀",
                every_weeks=2,
                weekday=2,
                half_day="pm",
                start=dt.date(2025, 6, 2),
            ),
            by=None,
        )
    page = client_for(f.user()).get(reverse("care:agreements")).content.decode()
    assert "上门关怀协议" in page and "王A01" in page and "王A02" not in page
    assert "每 2 周，周三下午" in page and "139****0000" in page
