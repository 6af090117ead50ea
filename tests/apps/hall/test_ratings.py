"""Post-service ratings: once per done ticket of the hall, within the window; the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, HallRating, Ticket, TicketStatus
from guifan.apps.hall.ratings import RATING_WINDOW, rating_due, ticket_rate
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms.reasons import reason_text
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(clock):
    """A ticket of H1 served at counter 1 and finished now; the clerk and their API client."""
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    Hall.objects.create(code="H2", name="盐市口营业厅")
    clerk, raw = f.token(Role.HALL_STAFF)
    counter = Counter.objects.create(hall=hall, number=1, status="open", staff=clerk)
    ticket = services.ticket_issue(hall_code="H1", by=clerk, category="A")
    Ticket.objects.filter(id=ticket.id).update(
        status=TicketStatus.DONE, counter=counter, started_at=clock.now(), finished_at=clock.now()
    )
    ticket.refresh_from_db()
    return ticket, clerk, Client(headers={"Authorization": f"Bearer {raw}"})


def rate(api, ticket_id, hall="H1", **body):
    return api.post(
        f"/api/v1/halls/{hall}/tickets/{ticket_id}/rating",
        json.dumps(body),
        content_type="application/json",
    )


def test_a_done_ticket_is_rated_once(done, clock):
    ticket, clerk, _ = done
    clock.advance(dt.timedelta(minutes=1))
    r = ticket_rate(ticket_id=ticket.id, hall_code="H1", score=2, reason="wait", by=clerk)
    assert (r.score, r.reason, r.at) == (2, "wait", clock.now())
    with pytest.raises(Conflict) as again:
        ticket_rate(ticket_id=ticket.id, hall_code="H1", score=5, by=clerk)
    assert again.value.code == "rating.repeat"
    assert HallRating.objects.get().score == 2


@pytest.mark.parametrize("status", ["waiting", "called", "serving", "no_show", "abandoned"])
def test_only_a_done_ticket_is_rated(done, status):
    ticket, clerk, _ = done
    Ticket.objects.filter(id=ticket.id).update(status=status)
    with pytest.raises(Conflict) as refused:
        ticket_rate(ticket_id=ticket.id, hall_code="H1", score=4, by=clerk)
    assert (refused.value.code, refused.value.field) == ("rating.not_done", "ticket_id")


def test_the_window_closes_after_the_finish(done, clock):
    ticket, clerk, _ = done
    clock.advance(RATING_WINDOW + dt.timedelta(seconds=1))
    with pytest.raises(Conflict) as late:
        ticket_rate(ticket_id=ticket.id, hall_code="H1", score=4, by=clerk)
    assert late.value.code == "rating.window_closed"
    assert not HallRating.objects.exists()


def test_at_the_window_edge_it_is_still_taken(done, clock):
    ticket, clerk, _ = done
    clock.advance(RATING_WINDOW)
    assert ticket_rate(ticket_id=ticket.id, hall_code="H1", score=4, by=clerk).score == 4


def test_another_halls_ticket_is_not_found(done):
    ticket, *_ = done
    with pytest.raises(NotFound):
        ticket_rate(ticket_id=ticket.id, hall_code="H2", score=4, by=None)
    other = f.user(Role.HALL_STAFF, hall="H2")
    with pytest.raises(NotFound):
        ticket_rate(ticket_id=ticket.id, hall_code="H1", score=4, by=other)


@pytest.mark.parametrize(
    ("score", "reason", "field"),
    [(0, "", "score"), (6, "", "score"), (True, "", "score"), (3, "rude", "reason")],
)
def test_bad_input_names_the_field(done, score, reason, field):
    ticket, clerk, _ = done
    with pytest.raises(ValidationFailed) as bad:
        ticket_rate(ticket_id=ticket.id, hall_code="H1", score=score, reason=reason, by=clerk)
    assert bad.value.field == field


def test_the_device_shows_the_ticket_just_finished_until_it_is_rated(done, clock):
    ticket, clerk, _ = done
    counter = ticket.counter
    assert rating_due(counter, clock.now()) == ticket
    ticket_rate(ticket_id=ticket.id, hall_code="H1", score=5, by=clerk)
    assert rating_due(counter, clock.now()) is None


def test_the_api_takes_a_rating_once_and_names_bad_fields(done):
    ticket, _, api = done
    assert rate(api, ticket.id, score=9).json()["field"] == "score"
    assert rate(api, ticket.id, score="x").status_code == 422
    assert rate(api, ticket.id, score=3, reason="x" * 21).status_code == 422
    assert rate(api, ticket.id, score=3, reason="rude").json()["field"] == "reason"
    ok = rate(api, ticket.id, score=3, reason="unsolved")
    assert ok.status_code == 201 and ok.json()["score"] == 3
    again = rate(api, ticket.id, score=5)
    assert again.status_code == 409 and again.json()["field"] == "ticket_id"
    assert rate(api, ticket.id, hall="H2", score=5).status_code == 404
    assert rate(api, 999999, score=5).status_code == 404


@pytest.mark.parametrize(("score", "opens"), [(1, True), (2, True), (3, False), (5, False)])
def test_an_unsatisfied_rating_opens_the_halls_qa02_case(done, clock, score, opens):
    from guifan.apps.cases.models import Case, CaseChannel, CaseKind

    ticket, _, _ = done
    ticket_rate(ticket_id=ticket.id, hall_code="H1", score=score, reason="wait", by=None)
    cases = list(Case.objects.all())
    assert len(cases) == int(opens)
    if opens:
        case = cases[0]
        assert (case.kind, case.channel, case.hall_id, case.order_id) == (
            CaseKind.DISSATISFIED,
            CaseChannel.HALL,
            ticket.hall_id,
            None,
        )
        assert case.summary == f"{ticket.code} 评价 {score} 分：等候时间长"
        # The opening keeps the summary's code: the case page reads it in English too.
        opened = case.events.get(action="opened")
        english = reason_text(opened.detail["msg"], opened.detail["args"], "en")
        assert english == f"{ticket.code} rated {score}: long wait"


def test_the_reasons_name_a_rating_as_the_pad_does():
    from guifan.apps.hall.ratings import REASONS
    from guifan.norms.reasons import LABELS

    assert {k: t.zh for k, t in LABELS["rating_reason"].items()} == REASONS


def test_the_quality_centre_follows_a_halls_unhappy_rating_to_its_close(done, clock):
    from guifan.apps.cases import services as cases
    from guifan.apps.cases.models import Case, CaseStatus
    from guifan.apps.norms.models import NormCheck

    ticket, _, _ = done
    ticket_rate(ticket_id=ticket.id, hall_code="H1", score=1, by=None)
    case = Case.objects.get()
    quality = f.user(Role.QUALITY)
    other_hall_clerk = f.user(Role.HALL_STAFF, hall="H2")
    with pytest.raises(NotFound):  # a clerk without a post at H1 does not see it
        cases.case_confirm(case_id=case.id, who="客户本人", via="phone", by=other_hall_clerk)
    clock.advance(dt.timedelta(hours=3))
    cases.case_contact_record(
        case_id=case.id, reached=True, satisfied=True, via="phone", who="客户本人", by=quality
    )
    cases.case_close(case_id=case.id, outcome="致歉并说明高峰加开窗口", by=quality)
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    check = NormCheck.objects.get(norm_id="QA-02")
    assert check.kept and check.area_code == "H1"
