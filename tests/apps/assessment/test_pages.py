"""The scorecard pages: Chinese by default, the export, a supervisor closing an action."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from guifan.apps.accounts.models import Role
from guifan.apps.assessment.models import ActionStatus, CorrectiveAction
from guifan.apps.assessment.services import action_create
from guifan.apps.workforce.models import Certification, Technician
from guifan.clock import local

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/qc/scorecards/?level=team&period=month", "班组"),
        ("/qc/scorecards/?level=clerk", "营业员"),
        ("/qc/scorecards/morning/", "晨会"),
        ("/qc/scorecards/certificates/", "已过期或即将到期"),
        ("/qc/scorecards/actions/", "整改与辅导"),
    ],
)
def test_pages_render_in_chinese(city, path, text):
    resp = client_for(city.users[Role.QUALITY]).get(path)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert text in body and "Scorecards" not in body


def test_certificates_name_the_work_type_in_the_pages_language(city, clock):
    tech = Technician.objects.get(id=city.own.technician_id)
    soon = local(clock.now()).date() + dt.timedelta(days=3)
    Certification.objects.create(technician=tech, work_type="fixed_line_move", valid_until=soon)
    client = client_for(city.users[Role.QUALITY])
    body = client.get("/qc/scorecards/certificates/").content.decode()
    assert "固话移机" in body and "fixed_line_move" not in body
    client.cookies["guifan_language"] = "en"
    assert "Fixed line Move" in client.get("/qc/scorecards/certificates/").content.decode()


def test_the_export_link_gives_a_workbook(city):
    resp = client_for(city.users[Role.DUTY_MANAGER]).get("/qc/scorecards/export.xlsx?period=month")
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "装维人员" in load_workbook(io.BytesIO(resp.content)).sheetnames


def test_a_dispatcher_closes_the_areas_technicians_action(city):
    badge = Technician.objects.get(id=city.own.technician_id).badge_no
    other = Technician.objects.get(id=city.other.technician_id).badge_no
    mine = action_create(kind="coaching", person=badge, norm_id="VIS-05", finding="鞋套", by=None)
    theirs = action_create(kind="coaching", person=other, norm_id="VIS-05", finding="鞋套", by=None)
    c = client_for(city.users[Role.DISPATCHER])
    listed = c.get("/qc/scorecards/actions/").content.decode()
    assert badge in listed and other not in listed
    assert c.post(f"/qc/scorecards/actions/{theirs.id}/close/", {"outcome": "x"}).status_code == 404
    resp = c.post(f"/qc/scorecards/actions/{mine.id}/close/", {"outcome": "已辅导"})
    assert resp.status_code == 303
    assert CorrectiveAction.objects.get(id=mine.id).status == ActionStatus.CLOSED
    assert "已关闭" in c.get("/qc/scorecards/actions/").content.decode()
    c.cookies["guifan_language"] = "en"
    english = c.get("/qc/scorecards/actions/").content.decode()
    assert "Closed" in english and "已关闭" not in english
