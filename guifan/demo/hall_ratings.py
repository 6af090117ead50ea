"""Ratings after service and the hall's region, for the demo's hall day (issue 15).

After each finished service the customer may rate it on the counter's rating device, through
the rating API (``POST /halls/{hall}/tickets/{id}/rating``), a few seconds to a minute and a
half later. Whether they rate and what they give comes from each ticket's own random stream
(``hall_ratings:<ticket id>``; the hall day's shared stream is never drawn): satisfaction falls
as the wait from ticket to service grows. The hall joins a region with two neighbouring halls
that run no simulated day (their rows in the regional view show counters and no traffic), so
the demo's duty manager, who also oversees the region, sees the regional view.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import partial
from typing import Any

from guifan.apps.accounts.models import User
from guifan.apps.hall.models import Counter, Hall, HallRating, Region, RegionPost, Ticket
from guifan.apps.hall.ratings import REASONS
from guifan.apps.hall.regions import WAIT_BANDS, band_label, band_of
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

REGION = ("CD-C", "成都中心城区")
NEIGHBOURS = (("CD-JJ02", "锦江红星路营业厅", 4), ("CD-WH03", "武侯科华路营业厅", 3))
RATE_SHARE = 0.65  # of customers rate on the device after their service
BEST, WORST = 4.7, 1.4  # mean score after no wait, and the floor of the mean
FALL_PER_MIN = 0.07  # the mean falls by this much per minute waited beyond the first five
SPREAD = 0.7


def region_setup(hall: Hall, duty: User | None) -> None:
    """Put the hall in the demo's region with its neighbours; the duty manager oversees it."""
    region = Region.objects.create(code=REGION[0], name=REGION[1])
    hall.region = region
    hall.save(update_fields=["region"])
    for code, name, counters in NEIGHBOURS:
        other = Hall.objects.create(code=code, name=name, level=2, region=region)
        for n in range(1, counters + 1):
            Counter.objects.create(hall=other, number=n, categories=["A", "B", "C"])
    if duty is not None:
        RegionPost.objects.create(user=duty, region=region)


def rate_after_service(runner: Runner, device: Api | None, hall: str, tid: int) -> None:
    """Maybe rate ticket ``tid`` on the counter's device shortly after its finish."""
    rng = random.Random(f"hall_ratings:{tid}")
    if device is None or rng.random() >= RATE_SHARE:
        return
    delay = dt.timedelta(seconds=rng.uniform(5, 90))
    runner.at(runner.clock.now() + delay, partial(_rate, runner, device, hall, tid, rng))


def _rate(runner: Runner, device: Api, hall: str, tid: int, rng: random.Random) -> None:
    t = Ticket.objects.filter(id=tid).only("issued_at", "started_at").first()
    if t is None or t.started_at is None:
        return
    waited = (t.started_at - t.issued_at).total_seconds() / 60
    mean = max(WORST, BEST - FALL_PER_MIN * max(0.0, waited - 5))
    score = min(5, max(1, round(rng.gauss(mean, SPREAD))))
    body: dict[str, Any] = {"score": score}
    if score <= 3 and rng.random() < 0.6:
        body["reason"] = "wait" if waited > 20 else rng.choice(sorted(REASONS))
    path = f"/halls/{hall}/tickets/{tid}/rating"
    runner.call(lambda: device.post(path, body), "rating")


def hall_ratings_report() -> dict[str, Any]:
    """``{count, mean, by_wait_band: {band: {count, mean}}}`` over every rating of the day."""
    bands: dict[str, list[int]] = {band_label(lo, hi): [] for lo, hi in WAIT_BANDS}
    scores = []
    for issued, started, score in HallRating.objects.order_by("id").values_list(
        "ticket__issued_at", "ticket__started_at", "score"
    ):
        scores.append(score)
        if started is not None:
            bands[band_of((started - issued).total_seconds() / 60)].append(score)
    return {
        "count": len(scores),
        "mean": round(sum(scores) / len(scores), 2) if scores else None,
        "by_wait_band": {
            band: {"count": len(s), "mean": round(sum(s) / len(s), 2) if s else None}
            for band, s in bands.items()
        },
    }
