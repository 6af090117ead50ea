"""The daily roll-up (ADR 0031): triggers keep it equal to the ledger, and the compliance
tallies read from it equal the tallies counted from the ledger's own checks."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from guifan.apps.compliance import selectors as s
from guifan.apps.compliance.selectors import LedgerFilter
from guifan.apps.norms.models import NormCheck, NormDay
from guifan.apps.norms.rollup import norm_days_rebuild
from guifan.clock import ZONE, at_local
from guifan.norms.stats import Tally, daily_series
from tests import factories as f
from tests.apps.norms.ledger import TODAY, check, two_weeks

pytestmark = pytest.mark.django_db

Cell = tuple[int, dt.date, str, str, str]


@pytest.fixture(autouse=True)
def whole_ledger(db: None) -> None:
    """These tests compare the roll-up with the whole ledger: start both empty, whatever a
    transactional test of the same worker left behind when pytest-django flushed after it."""
    NormDay.objects.all().delete()
    NormCheck.objects.all().delete()
    assert not NormDay.objects.exists()


def from_ledger() -> dict[Cell, tuple[int, int]]:
    """Every grain's cells counted from the checks themselves."""
    count: Counter[Cell] = Counter()
    kept: Counter[Cell] = Counter()
    for c in NormCheck.objects.all():
        day = c.at.astimezone(ZONE).date()
        for cell in (
            (1, day, c.norm_id, c.area_code, c.person),
            (2, day, "", c.area_code, c.person),
            (3, day, c.norm_id, "", ""),
        ):
            count[cell] += 1
            kept[cell] += c.kept
    return {cell: (n, kept[cell]) for cell, n in count.items()}


def from_rollup() -> dict[Cell, tuple[int, int]]:
    rows = NormDay.objects.filter(checked__gt=0).values_list(
        "grain", "day", "norm_id", "area_code", "person", "checked", "kept"
    )
    return {(g, d, n, a, p): (c, k) for g, d, n, a, p, c, k in rows}


def test_a_check_counts_on_its_local_day_at_every_grain() -> None:
    check("APT-07", False, TODAY, "00:30", area="A01", person="T1")  # 16:30 UTC the day before
    check("APT-07", True, TODAY, "23:30", area="A01", person="T1")
    assert from_rollup() == {
        (1, TODAY, "APT-07", "A01", "T1"): (2, 1),
        (2, TODAY, "", "A01", "T1"): (2, 1),
        (3, TODAY, "APT-07", "", ""): (2, 1),
    }


def test_updates_and_deletes_move_the_counts(clock: object) -> None:
    two_weeks()
    order = f.order()
    broken = check("VIS-04", False, TODAY, "09:00", area="A02", person="T0004", order=order)
    check("VIS-04", True, TODAY, "10:00", area="A02", person="T0004", order=order)
    # An overturned verdict (evaluation.dispute_decide) is kept in place.
    broken.kept = True
    broken.save(update_fields=["kept"])
    moved = NormCheck.objects.filter(norm_id="APT-07").first()
    assert moved is not None
    moved.at, moved.area_code, moved.person = at_local(TODAY, "12:00"), "A03", "T0006"
    moved.save()
    gone = NormCheck.objects.filter(norm_id="LNG-02", kept=False).order_by("id")[:5]
    NormCheck.objects.filter(id__in=list(gone.values_list("id", flat=True))).delete()
    order.delete()  # cascades to its checks
    assert from_rollup() == from_ledger()


def test_a_rebuild_finds_what_the_triggers_kept(clock: object) -> None:
    two_weeks()
    NormCheck.objects.filter(norm_id="DSP-04").update(kept=True)
    kept_by_triggers = from_rollup()
    norm_days_rebuild()
    assert from_rollup() == kept_by_triggers == from_ledger()


def raw_by_day(f: LedgerFilter, field: str | None, **where: object) -> dict[str, list[Tally]]:
    """The former tally: the ledger's checks grouped by ``field`` and local day."""
    qs = s.ledger(f).filter(**where).annotate(day=TruncDate("at", tzinfo=ZONE))
    keys = [field, "day"] if field else ["day"]
    rows = qs.values(*keys).annotate(n=Count("id"), k=Count("id", filter=Q(kept=True)))
    days: dict[str, dict[dt.date, Tally]] = {}
    for r in rows.order_by():
        days.setdefault(r[field] if field else "", {})[r["day"]] = Tally(r["n"], r["k"])
    return {
        key: [p.tally for p in daily_series(per_day, f.start, f.end)]
        for key, per_day in days.items()
    }


def series(rows: list[s.Row]) -> dict[str, list[Tally]]:
    return {r.key: [p.tally for p in r.series] for r in rows}


@pytest.mark.parametrize(
    "scope",
    [{}, {"area": "A02"}, {"team": "锦江一班"}, {"person": "T0003"}],
    ids=["city", "area", "team", "person"],
)
def test_the_pages_tallies_equal_the_ledgers(clock: object, scope: dict[str, str]) -> None:
    two_weeks()
    # Checks near midnight and outside the range must fall on the same side as before.
    check("APT-07", False, TODAY, "23:59", area="A02", person="T0004")
    check("APT-07", False, TODAY + dt.timedelta(days=1), "00:00", area="A02", person="T0004")
    f_ = LedgerFilter(start=TODAY - dt.timedelta(days=9), end=TODAY, **scope)
    assert series(s.compliance_by_norm(f_)) == raw_by_day(f_, "norm_id")
    assert series(s.compliance_by_area(f_)) == raw_by_day(f_, "area_code")
    # Badges are the technicians' ledger keys here, so people are the raw person values.
    assert series(s.compliance_by_person(f_)) == raw_by_day(f_, "person", person__gt="")
    trend = [p.tally for p in s.compliance_trend(f_)]
    assert trend == raw_by_day(f_, None)[""]
    one = [p.tally for p in s.compliance_trend(f_, norm_id="APT-07")]
    assert one == raw_by_day(f_, None, norm_id="APT-07")[""]
    teams = {r.key: r.tally for r in s.compliance_by_team(f_)}
    assert sum(teams.values(), Tally()) == sum(
        (t for ts in raw_by_day(f_, "person", person__gt="").values() for t in ts), Tally()
    )


def test_emptying_the_roll_up_first_leaves_no_negative_cells(clock: object) -> None:
    """Django's flush on SQLite deletes table by table: when the roll-up goes first, deleting
    the checks must not write negative cells that the next test would then read."""
    two_weeks()
    NormDay.objects.all().delete()
    NormCheck.objects.all().delete()
    assert not NormDay.objects.exists()
    check("VIS-04", True, TODAY, "09:00", area="A02", person="T0004")
    assert from_rollup() == from_ledger()
