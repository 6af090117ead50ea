"""Compliance read from a hand-built ledger: rates, day series, areas, teams and people."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.compliance.selectors import (
    PAGE_SIZE,
    LedgerFilter,
    compliance_by_area,
    compliance_by_norm,
    compliance_by_person,
    compliance_by_team,
    compliance_trend,
    norm_breaches,
)
from guifan.apps.orders.models import OrderEvent
from guifan.clock import at_local
from tests import factories as f
from tests.apps.norms.ledger import TODAY, check, tech

pytestmark = pytest.mark.django_db

WEEK = LedgerFilter(start=TODAY - dt.timedelta(days=6), end=TODAY)


def test_norms_come_worst_first_with_their_catalog_title_and_mode() -> None:
    for kept in (True, True, False):
        check("ORD-01", kept)
    check("APT-03", False)
    check("APT-03", False, TODAY - dt.timedelta(days=1))
    check("LNG-02", True)
    rows = compliance_by_norm(WEEK)
    assert [(r.key, r.tally.checked, r.tally.kept) for r in rows] == [
        ("APT-03", 2, 0),
        ("ORD-01", 3, 2),
        ("LNG-02", 1, 1),
    ]
    assert rows[1].label == "接单信息核实"
    assert rows[0].mode == "enforced"


def test_day_series_include_days_without_checks() -> None:
    check("ORD-01", True, TODAY - dt.timedelta(days=5))
    check("ORD-01", False, TODAY - dt.timedelta(days=5))
    check("ORD-01", True, TODAY)
    series = compliance_trend(WEEK)
    assert len(series) == 7
    assert [p.tally.checked for p in series] == [0, 2, 0, 0, 0, 0, 1]
    assert series[1].tally.rate == 0.5
    assert series[0].tally.rate is None
    (row,) = compliance_by_norm(WEEK)
    assert [p.tally.checked for p in row.series] == [0, 2, 0, 0, 0, 0, 1]


def test_days_are_local_shanghai_days_and_the_range_includes_both_ends() -> None:
    check("ORD-01", True, TODAY - dt.timedelta(days=1), "23:30")  # 15:30 UTC
    check("ORD-01", False, TODAY, "00:30")  # the previous day in UTC
    check("ORD-01", False, TODAY - dt.timedelta(days=7), "23:59")  # before the range
    check("ORD-01", False, TODAY + dt.timedelta(days=1), "00:00")  # after it
    series = compliance_trend(WEEK)
    assert [(p.tally.checked, p.tally.kept) for p in series[-2:]] == [(1, 1), (1, 0)]
    assert sum(p.tally.checked for p in series) == 2


def test_a_norm_trend_counts_only_that_norm() -> None:
    check("ORD-01", True)
    check("APT-03", False)
    (today,) = compliance_trend(WEEK, norm_id="APT-03")[-1:]
    assert (today.tally.checked, today.tally.kept) == (1, 0)


def test_areas_are_named_and_filter_the_ledger() -> None:
    f.area("A01")
    f.area("A02")
    check("ORD-01", True, area="A01")
    check("ORD-01", False, area="A02")
    check("ORD-01", False, area="A02")
    rows = compliance_by_area(WEEK)
    assert [(r.key, r.label, r.tally.broken) for r in rows] == [
        ("A02", "A02 片区A02", 2),
        ("A01", "A01 片区A01", 0),
    ]
    only = LedgerFilter(start=WEEK.start, end=WEEK.end, area="A01")
    assert [(r.key, r.tally.checked) for r in compliance_by_norm(only)] == [("ORD-01", 1)]


def test_a_technician_under_badge_and_login_is_one_person() -> None:
    tech("T0100", "王强", team="一班", login="wangq")
    check("ORD-01", False, person="T0100")
    check("LNG-02", True, person="wangq")
    check("HAL-02", True, person="hall1")  # a login without a technician
    rows = compliance_by_person(WEEK)
    assert [(r.key, r.label, r.tally.checked, r.tally.kept) for r in rows] == [
        ("T0100", "王强(T0100)", 2, 1),
        ("hall1", "hall1", 1, 1),
    ]


def test_teams_group_their_technicians_and_others_have_no_team() -> None:
    tech("T1", "甲", team="一班")
    tech("T2", "乙", team="一班")
    tech("T3", "丙", team="二班")
    check("ORD-01", True, person="T1")
    check("ORD-01", False, person="T2")
    check("ORD-01", False, person="T3")
    check("HAL-02", True, person="hall1")
    check("HAL-03", False)  # nobody named: not in the person or team tables
    rows = compliance_by_team(WEEK)
    assert [(r.key, r.tally.checked, r.tally.kept) for r in rows] == [
        ("二班", 1, 0),
        ("一班", 2, 1),
        ("", 1, 1),
    ]


def test_team_and_person_filters_narrow_the_ledger() -> None:
    tech("T1", "甲", team="一班", login="jia")
    tech("T2", "乙", team="二班")
    check("ORD-01", True, person="T1")
    check("ORD-01", False, person="jia")
    check("ORD-01", False, person="T2")
    team = LedgerFilter(start=WEEK.start, end=WEEK.end, team="一班")
    assert (
        compliance_by_norm(team)[0].tally
        == compliance_by_norm(LedgerFilter(start=WEEK.start, end=WEEK.end, person="T1"))[0].tally
    )
    assert (compliance_by_norm(team)[0].tally.checked, compliance_by_norm(team)[0].tally.kept) == (
        2,
        1,
    )


def test_breaches_carry_order_person_evidence_and_masked_phones(clock: object) -> None:
    t = tech("T0100", "王强", team="一班")
    order = f.order()
    phrase_turn = "这个不归我管,你打13912345678"
    TranscriptCheck.objects.create(
        order=order,
        channel="visit",
        turns=[
            {"speaker": "customer", "text": "网断了"},
            {"speaker": "staff", "text": phrase_turn},
        ],
        person=t.badge_no,
        area_code="A01",
        at=at_local(TODAY, "09:00"),
        findings=[
            {
                "norm": "LNG-02",
                "turn": 1,
                "start": 0,
                "end": 6,
                "text": "这个不归我管",
                "phrase": "不归我管",
            }
        ],
        score=80,
    )
    check("LNG-02", True, TODAY - dt.timedelta(days=1), order=order, person="T0100")
    check(
        "LNG-02",
        False,
        order=order,
        person="T0100",
        reason="服务禁语：不归我管",
        detail={"called": "13912345678"},
    )
    page = norm_breaches(WEEK, norm_id="LNG-02")
    assert page.total == 1
    (b,) = page.items
    assert (b.order_number, b.person, b.area) == (order.number, "王强(T0100)", "A01 片区A01")
    assert b.detail == {"called": "139****5678"}
    (tr,) = b.transcripts
    (finding,) = tr.findings
    assert (finding.hit, finding.after) == ("这个不归我管", ",你打139****5678")
    events = OrderEvent.objects.filter(order=order).count()
    assert 0 < len(b.events) <= min(events, 5)


def test_breaches_are_paged_newest_first() -> None:
    for i in range(PAGE_SIZE + 3):
        check("APT-03", False, TODAY, f"08:{i:02d}")
    check("APT-03", True)
    second = norm_breaches(WEEK, norm_id="APT-03", page=2)
    assert (second.total, second.number, second.num_pages, len(second.items)) == (
        PAGE_SIZE + 3,
        2,
        2,
        3,
    )
    assert second.items[0].at > second.items[-1].at
    assert second.items[-1].at == at_local(TODAY, "08:00")


def test_a_check_without_order_takes_its_persons_transcript_of_that_moment() -> None:
    turns = [{"speaker": "staff", "text": "没办法,系统就这样"}]
    finding = {
        "norm": "LNG-02",
        "turn": 0,
        "start": 0,
        "end": 3,
        "text": "没办法",
        "phrase": "没办法",
    }
    for hhmm in ("09:00", "11:00"):
        TranscriptCheck.objects.create(
            channel="hall",
            turns=turns,
            person="hall1",
            area_code="H01",
            at=at_local(TODAY, hhmm),
            findings=[finding],
            score=90,
        )
    check("LNG-02", False, TODAY, "09:00", area="H01", person="hall1")
    check("LNG-02", False, TODAY, "10:00", area="H01", person="hall1")  # no transcript then
    later, earlier = norm_breaches(WEEK, norm_id="LNG-02").items
    assert later.transcripts == ()
    (tr,) = earlier.transcripts
    assert tr.at == at_local(TODAY, "09:00")
    assert (tr.findings[0].hit, tr.findings[0].after) == ("没办法", ",系统就这样")
