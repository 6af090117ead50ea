"""The demo's stock people act through the API: requisitions, a missing part, a loaner."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest

from guifan.apps.accounts.models import Role
from guifan.apps.stock.models import LoanerUnit, Requisition
from guifan.clock import FixedClock, at_local
from guifan.demo import stock
from guifan.demo.api_client import Api
from tests import factories as f
from tests.apps.stock.stages import MON, Stage, stage_build, verdicts

pytestmark = pytest.mark.django_db
ALWAYS = stock.Rates(
    spares_needed=1,
    requisition_at_analysis=1,
    part_missing_on_site=1,
    customer_waits=0,
    receipt_given=1,
    loaner_offered=1,
    return_late=0,
)


class Agenda:
    def __init__(self) -> None:
        self.items: list[tuple[dt.datetime, Callable[[], None]]] = []

    def __call__(self, when: dt.datetime, action: Callable[[], None]) -> None:
        self.items.append((when, action))

    def run(self, clock: FixedClock) -> None:
        while self.items:
            self.items.sort(key=lambda item: item[0])
            when, action = self.items.pop(0)
            clock.set(max(when, clock.now()))
            action()


@pytest.fixture
def stage(clock: FixedClock, db: None) -> Stage:
    return stage_build(clock)


def desk_api() -> Api:
    _, raw = f.token(Role.DISPATCHER)
    return Api(raw)


def test_the_desk_requisitions_at_analysis_and_collects_the_part(stage: Stage) -> None:
    agenda, order = Agenda(), stage.analysed()
    code = stock.requisition_after_analysis(
        desk_api(),
        order.id,
        random.Random(1),
        ALWAYS,
        area="A01",
        service_type="appliance",
        schedule=agenda,
        now=stage.clock.now(),
    )
    assert code in stock.PARTS["appliance"]
    agenda.run(stage.clock)
    assert Requisition.objects.get(order=order).status == "fulfilled"
    assert verdicts("ORD-04") == [True]


def test_a_short_stock_is_restocked_and_requisitioned_again(stage: Stage) -> None:
    agenda, api = Agenda(), desk_api()
    for _ in range(2):  # the two motherboards go to earlier orders
        api.post(f"/orders/{stage.analysed().id}/requisitions", {"items": [{"code": "MB-PC"}]})
    order = stage.analysed()
    stock._requisition(
        api, order.id, "MB-PC", area="A01", schedule=agenda, now=stage.clock.now(), retry=True
    )
    assert not Requisition.objects.filter(order=order).exists()
    agenda.run(stage.clock)
    assert Requisition.objects.get(order=order).status == "fulfilled"


def test_a_part_missing_on_site_rebooks_after_the_part_is_collected(stage: Stage) -> None:
    agenda, order, rebooked = Agenda(), stage.on_site(), []
    ended = stock.part_missing_on_site(
        desk_api(),
        order.id,
        random.Random(1),
        ALWAYS,
        code="HDD-1T",
        schedule=agenda,
        now=stage.clock.now(),
        rebook=lambda: rebooked.append(order.id),
    )
    assert ended is True
    agenda.run(stage.clock)
    assert rebooked == [order.id]
    assert Requisition.objects.get(order=order).status == "fulfilled"
    assert verdicts("ORD-04") == [False]


def test_a_bring_back_lends_a_loaner_and_the_device_comes_back_on_time(stage: Stage) -> None:
    agenda, order = Agenda(), stage.taken()
    stock.bring_back_with_loaner(
        desk_api(),
        order.id,
        random.Random(1),
        ALWAYS,
        area="A01",
        schedule=agenda,
        now=stage.clock.now(),
        end=at_local(MON + dt.timedelta(days=3), "12:00"),
    )
    assert LoanerUnit.objects.filter(state="lent").count() == 1
    agenda.run(stage.clock)
    assert verdicts("ORD-07") == [True]
    assert LoanerUnit.objects.filter(state="lent").count() == 0
    order.refresh_from_db()
    assert order.status == "closed"
