"""Inspections (HAL-09) in the browser's forms: scored, refused with errors by the field."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall.models import Hall, Inspection
from guifan.apps.hall.posts import post_set
from guifan.apps.norms.models import NormCheck
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def halls(clock):
    Hall.objects.create(code="H1", name="春熙路营业厅")
    Hall.objects.create(code="H2", name="盐市口营业厅")


def client_for(role, hall=None):
    u = f.user(role)
    if hall:
        post_set(user=u, hall_code=hall)
    c = Client()
    c.force_login(u)
    return c


def test_a_quality_supervisor_inspects_any_hall(halls):
    c = client_for(Role.QUALITY)
    assert "盐市口营业厅" in c.get("/hall/inspections/").content.decode()
    form = c.get("/hall/H2/inspections/").content.decode()
    assert "46. 最低17摄氏度" in form and "营业厅设置有星级服务专区或专席" in form
    r = c.post(
        "/hall/H2/inspections/",
        {"item_1": "kept", "item_29": "broken", "temperature_c": "25", "noise_db": "60"},
    )
    assert r.status_code == 302
    done = Inspection.objects.get()
    assert (done.hall.code, done.deductions, done.results["46"]) == ("H2", 1, "kept")
    assert NormCheck.objects.get(norm_id="HAL-09").kept is False
    page = c.get(r["Location"]).content.decode()
    assert "检查已记录：得分 75.0" in page


def test_errors_show_next_to_the_field_in_chinese(halls):
    c = client_for(Role.DUTY_MANAGER, "H1")
    r = c.post("/hall/H1/inspections/", {"terminals_working": "5", "terminals_total": "4"})
    assert r.status_code == 422
    assert '<ul class="errorlist"><li>完好数须在 0 到总数之间</li></ul>' in r.content.decode()
    r = c.post("/hall/H1/inspections/", {"noise_db": "loud"})
    assert r.status_code == 422 and "输入一个数字" in r.content.decode()
    assert not Inspection.objects.exists()


def test_a_duty_manager_inspects_only_their_own_hall(halls):
    c = client_for(Role.DUTY_MANAGER, "H1")
    assert c.get("/hall/H2/inspections/").status_code == 404  # another hall: as if missing
    assert "盐市口营业厅" not in c.get("/hall/inspections/").content.decode()
    assert client_for(Role.HALL_STAFF, "H1").get("/hall/H1/inspections/").status_code == 403
