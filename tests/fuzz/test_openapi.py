"""Fuzz every operation of /api/v1/openapi.json with a token of each role (schemathesis).

No 5xx, and every answer matches the document: its status code is declared and its body fits
the declared schema. Seeded (derandomized) and bounded, so CI runs the same cases every time.
The document is loaded from the WSGI app: no network, no server.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from guifan.apps.accounts.models import Role
from guifan.apps.accounts.services import api_token_create
from guifan.apps.hall import services as hall_services
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.orders import services
from guifan.clock import at_local
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = 60  # cases per operation, each sent as generated and aimed at real objects
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
MON = dt.date(2025, 6, 2)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def in_test_transaction():
    """Keep the test's connection open across requests, as Django's test client does: the WSGI
    handler would otherwise close it (and the test transaction) around each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(clock, in_test_transaction):
    """A token per role and a small city: an area, a technician, a booked and assigned order,
    a hall with counters and a ticket. Path ids point at these in the "aimed" requests."""
    f.area()
    # The hall first, so that its staff and duty manager are posted there (the actor rule).
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    tokens, users = {}, {}
    for role in Role.values:
        users[role] = f.user(role)
        tokens[role] = api_token_create(user=users[role], name="fuzz")
    tech = f.technician(work_types=("broadband_install", "broadband_repair"))
    tech.user = users[Role.TECHNICIAN]  # the technician's own order below
    tech.save(update_fields=["user"])
    order = f.order(kind="repair")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    appt = services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(MON, "15:00")
    )
    services.visit_assign(
        order_id=order.id,
        technician_id=tech.id,
        planned_arrival=at_local(MON, "15:05"),
        by=None,
    )
    counter = Counter.objects.create(hall=hall, number=1, categories=["A", "B"], status="open")
    Counter.objects.create(hall=hall, number=2, categories=["A"], status="closed")
    ticket = hall_services.ticket_issue(hall_code="H1", category="A", by=None)
    ids = {
        "order_id": order.id,
        "appointment_id": appt.id,
        "hall": hall.code,
        "counter_id": counter.id,
        "ticket_id": ticket.id,
        "moment": "greeting",
    }
    return tokens, ids, itertools.cycle(sorted(tokens))


def aimed(case, ids):
    """The same case with its path ids replaced by real objects' ids."""
    params = dict(case.path_parameters or {})
    return {name: ids.get(name, value) for name, value in params.items()}


# Our own parametrization (one pytest item per operation, its label in the id) rather than
# schema.parametrize(): its items share one node id, and pytest-xdist then runs only the first.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


def cases(operation):
    """Valid requests and invalid ones (wrong types, missing fields, out-of-schema values)."""
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_operation_answers_5xx_or_off_its_schema(operation, world):
    tokens, ids, roles = world

    @given(case=cases(operation))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def each(case):
        role = next(roles)  # the cases of one operation take the roles in turn
        # Schemathesis reads the body as sent: ask for it uncompressed (pages and JSON are gzipped
        # for clients that accept it, ADR 0030).
        auth = {"Authorization": f"Bearer {tokens[role]}", "Accept-Encoding": "identity"}
        statuses.append(case.call_and_validate(headers=auth, checks=CHECKS).status_code)
        case.path_parameters = aimed(case, ids)
        statuses.append(case.call_and_validate(headers=auth, checks=CHECKS).status_code)

    statuses: list[int] = []
    each()
    # The checks above raise on a failure; these say what was exercised.
    assert statuses, f"no request was sent for {operation.label}"
    assert all(code < 500 for code in statuses), statuses
