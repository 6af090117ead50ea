"""Regions: who sees which halls (another region is a 404), and each hall's summary."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.accounts.models import Role
from guifan.apps.hall.models import Counter, Hall, HallAlert, HallRating, Region, RegionPost, Ticket
from guifan.apps.hall.regions import (
    p90,
    region_for,
    region_hall_codes,
    region_hall_for,
    region_summary,
    summary_days,
)
from guifan.clock import at_local
from guifan.errors import NotFound, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def regions(clock):
    east = Region.objects.create(code="E", name="东片")
    west = Region.objects.create(code="W", name="西片")
    h1 = Hall.objects.create(code="H1", name="春熙路营业厅", region=east)
    h2 = Hall.objects.create(code="H2", name="盐市口营业厅", region=east)
    h3 = Hall.objects.create(code="H3", name="金沙营业厅", region=west)
    east_manager = f.user(Role.DUTY_MANAGER, "east", hall="none")
    RegionPost.objects.create(user=east_manager, region=east)
    west_manager = f.user(Role.DUTY_MANAGER, "west", hall="none")
    RegionPost.objects.create(user=west_manager, region=west)
    return {"E": east, "W": west, "H1": h1, "H2": h2, "H3": h3}, east_manager, west_manager


def served(hall: Hall, hhmm: str, wait: float, *, star: int = 0, score: int | None = None):
    issued = at_local(TODAY, hhmm)
    number = Ticket.objects.filter(hall=hall).count() + 1
    t = Ticket.objects.create(
        hall=hall,
        day=TODAY,
        category="A",
        number=number,
        star_verified=star or None,
        status="done",
        issued_at=issued,
        started_at=issued + dt.timedelta(minutes=wait),
        finished_at=issued + dt.timedelta(minutes=wait + 5),
    )
    if score is not None:
        HallRating.objects.create(ticket=t, score=score, at=t.finished_at)
    return t


def test_a_regional_manager_sees_their_region_and_only_it(regions):
    r, east, west = regions
    assert region_for(by=east) == r["E"]
    assert region_for(by=east, code="E") == r["E"]
    with pytest.raises(NotFound) as other:
        region_for(by=east, code="W")
    assert other.value.field == "region"
    assert region_hall_for(by=east, code="H2") == r["H2"]
    with pytest.raises(NotFound):
        region_hall_for(by=east, code="H3")
    with pytest.raises(NotFound):
        region_hall_for(by=west, code="H1")


def test_others_see_no_region_and_admins_every_one(regions):
    r, *_ = regions
    hall_manager = f.user(Role.DUTY_MANAGER, hall="H3")  # a hall post, no region post
    assert region_for(by=hall_manager) is None
    assert region_hall_for(by=hall_manager, code="H3") == r["H3"]  # their own hall still
    with pytest.raises(NotFound):
        region_hall_for(by=hall_manager, code="H1")
    for role in (Role.HALL_STAFF, Role.QUALITY, Role.DISPATCHER):
        with pytest.raises(NotFound):
            region_for(by=f.user(role, hall="H1"), code="E")
    admin = f.user(Role.ADMIN)
    assert region_for(by=admin, code="W") == r["W"]
    assert region_hall_for(by=None, code="H1") == r["H1"]


def test_the_summary_reads_waits_against_targets_peaks_counters_and_ratings(regions, clock):
    r, *_ = regions
    for i, wait in enumerate([5, 10, 20, 40]):  # normal: target 30 minutes
        served(r["H1"], f"09:{i:02d}", wait, score=5 if wait < 30 else 2)
    served(r["H1"], "09:30", 12, star=7)  # star67: target 10 minutes
    Counter.objects.create(hall=r["H1"], number=1, status="open")
    Counter.objects.create(hall=r["H1"], number=2, status="closed")
    HallAlert.objects.create(
        hall=r["H1"], kind="peak", raised_at=clock.now(), detail={"per_counter": 6.5}
    )
    h1, h2 = region_summary(r["E"], days=1, now=clock.now())
    assert (h1.hall, h2.hall) == (r["H1"], r["H2"])
    cls = {c.cls: c for c in h1.classes}
    assert (cls["normal"].served, cls["normal"].kept, cls["normal"].p90_min) == (4, 3, 40)
    assert cls["normal"].state == "bad"
    assert (cls["star67"].served, cls["star67"].kept) == (1, 0)
    assert cls["star5"].served == 0 and cls["star5"].state == "none"
    assert (h1.peaks, h1.peak_max, h1.open_counters, h1.counters) == (1, 6.5, 1, 2)
    assert (h1.ratings, h1.rating_mean) == (4, 4.25)
    assert dict((b, n) for b, n, _ in h1.ratings_by_band) == {
        "0-10": 1,
        "10-20": 1,
        "20-30": 1,
        "30+": 1,
    }
    assert (h2.tickets, h2.ratings, h2.rating_mean, h2.mean_wait_min) == (0, 0, None, None)


def test_days_and_percentile():
    assert summary_days(None) == 7 and summary_days("30") == 30
    for bad in ("0", "93", "x"):
        with pytest.raises(ValidationFailed) as exc:
            summary_days(bad)
        assert exc.value.field == "days"
    assert p90([]) is None and p90([1.0]) == 1.0
    assert p90([float(x) for x in range(1, 11)]) == 9.0


def test_region_codes_for_the_cli(regions):
    assert region_hall_codes("E") == ["H1", "H2"]
    with pytest.raises(NotFound) as missing:
        region_hall_codes("NOPE")
    assert missing.value.field == "region"
    Region.objects.create(code="EMPTY", name="空")
    with pytest.raises(ValidationFailed):
        region_hall_codes("EMPTY")
