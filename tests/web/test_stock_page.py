"""The stock page: a dispatcher's areas only, with levels, loaners, requisitions, movements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.stock.services import (
    Need,
    bring_back_receipt_issue,
    requisition_raise,
    stock_seed_for_area,
)
from guifan.clock import FixedClock
from tests import factories as f
from tests.apps.stock.stages import MON, Stage, stage_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(clock: FixedClock, db: None) -> Stage:
    return stage_build(clock)


def client_for(role: str, **kw: object) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(f.user(role, **kw))  # type: ignore[arg-type]
    return client


def test_the_dispatcher_sees_the_area_stock_with_requisitions_and_lent_loaners(
    stage: Stage,
) -> None:
    order = stage.analysed()
    requisition_raise(order_id=order.id, needs=[Need("MB-PC", 2)], by=None)
    taken = stage.taken()
    bring_back_receipt_issue(
        order_id=taken.id,
        return_by=MON + dt.timedelta(days=1),
        loaner_serial="LN-A01-02",
        by=None,
    )
    html = client_for(Role.DISPATCHER).get("/stock/").content.decode()
    assert "电脑主板" in html and "预判时申领" in html
    assert "LN-A01-02" in html and "已借出" in html and taken.number in html
    assert "2025-06-03" in html  # the agreed return date of the lent loaner
    assert "借出周转机" in html  # the lend movement in the recent movements
    assert "待领用申领单" in html and "最近库存流水" in html  # Chinese by default
    assert "<td>系统</td>" in html and "<td>system</td>" not in html  # who moved the stock


def test_another_area_is_not_found_and_other_roles_are_refused(stage: Stage) -> None:
    stock_seed_for_area(f.area("A02"))
    assert client_for(Role.DISPATCHER).get("/stock/?area=A02").status_code == 404
    assert client_for(Role.DISPATCHER).get("/stock/?area=ZZ").status_code == 404
    assert client_for(Role.TECHNICIAN).get("/stock/").status_code == 403
    admin = client_for(Role.ADMIN).get("/stock/?area=A02")
    assert admin.status_code == 200 and "光猫" in admin.content.decode()


def test_the_page_speaks_english_when_chosen(stage: Stage) -> None:
    client = client_for(Role.DISPATCHER)
    client.cookies["guifan_language"] = "en"
    html = client.get("/stock/").content.decode()
    assert "On hand" in html and "Open requisitions" in html
    # The kinds of items and movements, the loaners' state: labels in the page's language.
    assert "<td>Spare part</td>" in html and "<td>备件</td>" not in html
    assert "<td>Received</td>" in html and "<td>入库</td>" not in html
    assert "In stock" in html and "在库" not in html
    chinese = client_for(Role.DISPATCHER).get("/stock/").content.decode()
    assert "<td>备件</td>" in chinese and "<td>入库</td>" in chinese


def test_the_dispatcher_issues_an_open_requisition_from_the_page(stage: Stage) -> None:
    order = stage.analysed()
    req = requisition_raise(order_id=order.id, needs=[Need("MB-PC", 1)], by=None)
    client = client_for(Role.DISPATCHER)
    r = client.post(f"/stock/requisitions/{req.id}/issue/")
    assert (r.status_code, r["Location"]) == (303, "/stock/?area=A01")
    req.refresh_from_db()
    assert req.status == "fulfilled"
    again = client.post(f"/stock/requisitions/{req.id}/issue/", follow=True)
    assert "已领用" in again.content.decode()  # the refusal, shown on the page


def test_another_areas_requisition_is_not_found_from_the_page(stage: Stage) -> None:
    order = stage.analysed()
    req = requisition_raise(order_id=order.id, needs=[Need("MB-PC", 1)], by=None)
    stranger = client_for(Role.DISPATCHER, areas=("A02",))
    assert stranger.post(f"/stock/requisitions/{req.id}/issue/").status_code == 404
    req.refresh_from_db()
    assert req.status == "open"
