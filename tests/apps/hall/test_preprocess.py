"""Pre-processing while waiting (HAL-07): recorded on the ticket, once per step."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.preprocess import ticket_preprocess
from guifan.apps.norms.models import NormCheck
from guifan.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=hall, number=1, categories=["A"], status="open")
    Hall.objects.create(code="H2", name="另一个厅")
    return services.ticket_issue(by=None, hall_code="H1", category="A", preprocessing=["id_ready"])


def test_a_step_is_recorded_once_on_the_ticket(ticket):
    for _ in range(2):
        done = ticket_preprocess(ticket_id=ticket.id, hall_code="H1", step="id_checked", by=None)
    assert done.preprocessing == ["id_ready", "id_checked"]
    assert NormCheck.objects.filter(norm_id="HAL-07", kept=True).count() == 1


def test_refusals(ticket):
    with pytest.raises(ValidationFailed):
        ticket_preprocess(ticket_id=ticket.id, hall_code="H1", step="id_ready", by=None)
    with pytest.raises(NotFound):
        ticket_preprocess(ticket_id=ticket.id, hall_code="H2", step="id_checked", by=None)
    services.ticket_call_next(counter_id=Counter.objects.get().id, by=None)
    with pytest.raises(Conflict):
        ticket_preprocess(ticket_id=ticket.id, hall_code="H1", step="id_checked", by=None)
    assert not NormCheck.objects.filter(norm_id="HAL-07").exists()


def test_a_need_told_at_the_kiosk_and_not_met_breaks_hal07_at_the_call(ticket, clock):
    clock.advance(dt.timedelta(minutes=7))
    services.ticket_call_next(counter_id=Counter.objects.get().id, by=None)
    check = NormCheck.objects.get(norm_id="HAL-07")
    assert (check.kept, check.detail["need"], check.detail["step"], check.detail["minutes"]) == (
        False,
        "id_ready",
        "id_checked",
        7,
    )
    assert check.detail["msg"] == "hal07.need_unmet"


def test_a_need_called_at_once_never_waited(ticket):
    services.ticket_call_next(counter_id=Counter.objects.get().id, by=None)
    assert not NormCheck.objects.filter(norm_id="HAL-07").exists()


def test_a_need_met_while_waiting_is_only_kept(ticket):
    ticket_preprocess(ticket_id=ticket.id, hall_code="H1", step="id_checked", by=None)
    services.ticket_call_next(counter_id=Counter.objects.get().id, by=None)
    assert list(NormCheck.objects.values_list("norm_id", "kept")) == [("HAL-07", True)]


def test_a_ticket_without_a_told_need_is_not_checked(clock):
    hall = Hall.objects.create(code="H3", name="第三个厅")
    counter = Counter.objects.create(hall=hall, number=1, categories=["A"], status="open")
    services.ticket_issue(by=None, hall_code="H3", category="A")
    services.ticket_call_next(counter_id=counter.id, by=None)
    assert not NormCheck.objects.filter(norm_id="HAL-07").exists()
