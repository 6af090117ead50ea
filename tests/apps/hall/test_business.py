"""SEC-03 at the counter: no ID for an inquiry, real name before a transaction."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, Ticket, TicketBusiness, TicketStatus
from guifan.apps.norms.models import NormCheck
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def serving(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    clerk, raw = f.token(Role.HALL_STAFF)
    counter = Counter.objects.create(hall=hall, number=1, status="open", staff=clerk)
    ticket = services.ticket_issue(hall_code="H1", by=clerk, category=next(iter(hall.categories)))
    Ticket.objects.filter(id=ticket.id).update(status=TicketStatus.SERVING, counter=counter)
    return ticket, clerk, Client(headers={"Authorization": f"Bearer {raw}"})


def post(api, ticket, **body):
    return api.post(
        f"/api/v1/halls/H1/tickets/{ticket.id}/business",
        json.dumps(body),
        content_type="application/json",
    )


def test_a_transaction_without_real_name_is_refused_and_remembered(serving):
    ticket, clerk, api = serving
    r = post(api, ticket, kind="transaction", business="新装宽带")
    assert r.status_code == 422 and (r.json()["rule"], r.json()["field"]) == (
        "SEC-03",
        "id_checked",
    )
    assert not TicketBusiness.objects.exists()
    [refusal] = NormCheck.objects.filter(norm_id="SEC-03", kept=False)
    assert (
        refusal.person == clerk.username and refusal.detail["attempted"]["business"] == "新装宽带"
    )
    r = post(api, ticket, kind="transaction", business="新装宽带", id_checked=True)
    assert r.status_code == 201
    assert NormCheck.objects.filter(norm_id="SEC-03", kept=True).count() == 1


def test_an_inquiry_that_asks_for_id_breaks_sec03(serving):
    ticket, _, api = serving
    assert post(api, ticket, kind="inquiry", business="资费咨询").status_code == 201
    assert (
        post(api, ticket, kind="inquiry", business="套餐咨询", id_recorded=True).status_code == 201
    )
    verdicts = list(NormCheck.objects.filter(norm_id="SEC-03").values_list("kept", flat=True))
    assert verdicts == [True, False]


def test_bad_input_names_the_field(serving):
    ticket, _, api = serving
    refused = post(api, ticket, kind="sale", business="x").json()
    assert (refused["field"], refused["message"]) == ("kind", "类型须为咨询或办理")
    assert post(api, ticket, kind="inquiry", business=" ").json()["field"] == "business"
    post(api, ticket, kind="inquiry", business="资费咨询")
    assert post(api, ticket, kind="inquiry", business="资费咨询").status_code == 409
