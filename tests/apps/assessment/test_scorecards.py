"""Scorecards read the NormCheck ledger per technician, team, area and clerk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guifan.apps.accounts.models import Role, User
from guifan.apps.assessment.selectors import Period, morning_meeting, scorecard
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import Escalation, WorkOrder
from guifan.apps.workforce.models import Technician
from guifan.clock import at_local
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 2)


def check(norm: str, kept: bool, person: str, *, area: str = "A01", day: dt.date = DAY, **detail):
    return NormCheck.objects.create(
        norm_id=norm,
        kept=kept,
        at=at_local(day, "11:00"),
        person=person,
        area_code=area,
        detail=detail,
        order=detail.pop("order", None),
    )


@pytest.fixture
def crew(clock):
    a = f.technician()
    b = f.technician()
    c = f.technician(code="A02")
    Technician.objects.filter(id__in=[a.id, b.id]).update(team="一班")
    Technician.objects.filter(id=c.id).update(team="二班")
    return Technician.objects.get(id=a.id), Technician.objects.get(id=b.id), c


def test_person_card_counts_every_column(crew):
    a, _, _ = crew
    order = f.order(kind="repair")
    late = f.order(kind="repair")
    Escalation.objects.create(order=late, reason_code="hard fault", filed_at=at_local(DAY, "09:00"))
    check("VIS-18", True, a.badge_no, score=5)
    check("QA-08", True, a.badge_no, score=2)
    check("VIS-18", False, a.badge_no, score=None)
    check("QA-03", True, a.badge_no)
    check("QA-06", False, a.badge_no, false_closure=True)
    check("QA-06", False, a.badge_no)
    check("ORD-08", False, a.badge_no, order=order)
    check("ORD-08", False, a.badge_no, order=late)  # escalated: not personal
    check("STF-06", False, a.badge_no)
    check("STF-04", False, a.badge_no, refusal="tok")
    check("APT-02", True, a.badge_no, day=DAY + dt.timedelta(days=1))  # another day
    [card] = [c for c in scorecard("person", Period.of("day", DAY)) if c.key == a.badge_no]
    assert (card.checked, card.kept) == (10, 3)
    assert card.satisfaction == 3.5 and card.ratings == 2
    assert card.complaints == 1
    assert card.false_closures == 1
    assert card.overdue_personal == 1
    assert card.red_lines == 1
    assert card.refusals == 1
    assert card.team == "一班"
    month = scorecard("person", Period.of("month", DAY))
    assert next(c for c in month if c.key == a.badge_no).checked == 11


def test_team_area_and_clerk_tables(crew):
    a, b, c = crew
    check("APT-02", True, a.badge_no)
    check("APT-02", False, b.badge_no)
    check("APT-02", True, c.badge_no, area="A02")
    clerk = User.objects.create_user("clerk1", role=Role.HALL_STAFF)
    check("HAL-08", True, clerk.username, area="H1")
    check("STF-07", False, clerk.username, area="H1")
    period = Period.of("day", DAY)
    teams = {t.key: (t.checked, t.kept) for t in scorecard("team", period)}
    assert teams == {"一班": (2, 1), "二班": (1, 1)}
    areas = {t.key: t.checked for t in scorecard("area", period)}
    assert areas == {"A01": 2, "A02": 1, "H1": 2}
    [row] = scorecard("clerk", period)
    assert (row.key, row.checked, row.kept, row.complaints) == ("clerk1", 2, 1, 1)
    assert {c.key for c in scorecard("person", period)} == {a.badge_no, b.badge_no, c.badge_no}


def test_badge_and_login_count_as_one_person(crew):
    a, _, _ = crew
    u = User.objects.create_user("tech_login", role=Role.TECHNICIAN)
    Technician.objects.filter(id=a.id).update(user=u)
    check("APT-02", True, a.badge_no)
    check("LNG-01", False, "tech_login")
    [card] = [c for c in scorecard("person", Period.of("day", DAY)) if c.key == a.badge_no]
    assert (card.checked, card.kept) == (2, 1)


def test_morning_meeting_lists_teams_members_and_worst_items(crew):
    a, b, c = crew
    check("APT-02", False, a.badge_no)
    check("APT-02", False, b.badge_no)
    check("VIS-05", False, b.badge_no)
    check("VIS-05", True, c.badge_no, area="A02")
    meetings = morning_meeting(DAY)
    assert [m.team.key for m in meetings] == ["一班", "二班"]
    first = meetings[0]
    assert (first.team.checked, first.team.kept) == (3, 0)
    assert first.members[0].key == b.badge_no  # most broken first
    assert [(i.norm_id, i.broken) for i in first.items] == [("APT-02", 2), ("VIS-05", 1)]
    assert first.items[0].title


def test_scorecards_take_a_fixed_number_of_queries(crew):
    for t in crew:
        for n in range(5):
            check("APT-02", n % 2 == 0, t.badge_no)
    with CaptureQueriesContext(connection) as few:
        scorecard("person", Period.of("month", DAY))
    more = [f.technician() for _ in range(5)]
    for t in more:
        check("APT-02", True, t.badge_no)
    with CaptureQueriesContext(connection) as many:
        rows = scorecard("person", Period.of("month", DAY))
    assert len(rows) == 8
    assert len(many) == len(few) <= 4
    assert WorkOrder  # the ledger's orders are joined in SQL, not loaded
