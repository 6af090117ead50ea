"""The regional view above the halls (issue 15): every hall of a region at a glance.

``/hall/region/`` shows, for the regional duty manager's region (``?region=CODE`` picks one of
several; another region is a 404), each hall's waits per class against HAL-02 over the last
``?days=N`` days (kept share, p90 against the target), its peak alerts (HAL-03), the counters
open now, and the customers' ratings against the wait as a scatter plot (SVG, one point per
hall). ``/hall/region/<hall>/`` drills down to one hall, read-only. Permission: ``hall.regions``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guifan.apps.accounts.models import Role
from guifan.apps.hall.models import Region
from guifan.apps.hall.monitor import hall_snapshot
from guifan.apps.hall.regions import (
    HallSummary,
    halls_summary,
    region_for,
    region_hall_for,
    region_summary,
    regions_seen,
    summary_days,
)
from guifan.apps.hall.selectors import hall_counters, open_alerts, queue_by_class
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.errors import not_found
from guifan.apps.web.hall.labels import ALERT_KIND, CLASS, COUNTER_STATUS, TICKET_STATUS
from guifan.apps.web.labels import label
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import NotFound, ValidationFailed

REGIONAL = (Role.DUTY_MANAGER,)
# The scatter plot's frame (SVG user units).
W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 340, 56, 24, 20, 48


def _rows(summary: list[HallSummary]) -> list[dict[str, Any]]:
    return [
        {
            "s": s,
            "classes": [
                {"c": c, "label": label(CLASS, c.cls), "share": c.kept_share} for c in s.classes
            ],
        }
        for s in summary
    ]


def scatter(summary: list[HallSummary], target_min: float) -> dict[str, Any]:
    """Satisfaction (mean rating, 1–5) against the mean wait, one point per rated hall."""
    rated = [s for s in summary if s.rating_mean is not None and s.mean_wait_min is not None]
    top = max([target_min * 1.2, *[(s.mean_wait_min or 0) * 1.1 for s in rated]])
    step = 5 if top <= 40 else 10 if top <= 80 else 20
    x_max = step * math.ceil(top / step)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(v: float) -> float:
        return round(LEFT + plot_w * v / x_max, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (5 - v) / 4, 1)

    points = [
        {
            # Labels of points in the right part of the plot go to the left of the point.
            "left": x(s.mean_wait_min or 0) > LEFT + 0.6 * plot_w,
            "cx": x(s.mean_wait_min or 0),
            "cy": y(s.rating_mean or 0),
            "r": round(5 + 2 * math.sqrt(s.ratings), 1) if s.ratings < 400 else 45,
            "name": s.hall.name,
            "code": s.hall.code,
            "wait": s.mean_wait_min,
            "mean": s.rating_mean,
            "n": s.ratings,
        }
        for s in rated
    ]
    return {
        "w": W,
        "h": H,
        "left": LEFT,
        "right": W - RIGHT,
        "top": TOP,
        "bottom": H - BOTTOM,
        "x_ticks": [{"v": v, "x": x(v)} for v in range(0, x_max + 1, step)],
        "y_ticks": [{"v": v, "y": y(v)} for v in (1, 2, 3, 4, 5)],
        "target_x": x(target_min),
        "target": target_min,
        "points": points,
        "x_label_y": H - 8,
        "mid_x": LEFT + plot_w / 2,
        "mid_y": TOP + plot_h / 2,
    }


@require_GET
@role_required(*REGIONAL)
def region(request: HtmxHttpRequest) -> HttpResponse:
    """The region's halls: waits vs HAL-02, peaks, counters now, satisfaction vs wait."""
    try:
        chosen: Region | None = region_for(by=request.user, code=request.GET.get("region"))
    except NotFound:
        return not_found(request)
    if chosen is None:
        return render(request, "web/hall/no_region.html", {})
    try:
        days = summary_days(request.GET.get("days"))
    except ValidationFailed as exc:
        return render(request, "web/hall/no_region.html", {"error": error_text(exc)}, status=422)
    now = clock_now()
    summary = region_summary(chosen, days=days, now=now)
    target = norms_snapshot().param("HAL-02", "max_wait_minutes")["others"]
    ctx = {
        "region": chosen,
        "regions": list(regions_seen(request.user).order_by("code")),
        "days": days,
        "day_choices": (1, 7, 30),
        "until": local(now).date(),
        "rows": _rows(summary),
        "plot": scatter(summary, float(target)),
    }
    return render(request, "web/hall/region.html", ctx)


@require_GET
@role_required(*REGIONAL)
def region_hall(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    """One hall of the region, read-only: the queue now, counters, alerts, the period's waits."""
    try:
        found = region_hall_for(by=request.user, code=hall)
    except NotFound:
        return not_found(request)
    try:
        days = summary_days(request.GET.get("days"))
    except ValidationFailed as exc:
        return render(request, "web/hall/no_region.html", {"error": error_text(exc)}, status=422)
    now = clock_now()
    first = local(now).date() - dt.timedelta(days=days - 1)
    summary = halls_summary([found], first=first, now=now)[0]
    ctx = {
        "hall": found,
        "days": days,
        "snap": hall_snapshot(found, now),
        "rows": [
            {"label": label(CLASS, r.cls), "q": r, "state": r.state}
            for r in queue_by_class(found, now)
        ],
        "period": _rows([summary])[0],
        "counters": [
            {
                "c": c,
                "status": label(COUNTER_STATUS, c.status),
                "tag": "ok" if c.status == "open" else "warn",
                "ticket": t,
                "ticket_status": label(TICKET_STATUS, t.status) if t else "",
            }
            for c, t in hall_counters(found)
        ],
        "alerts": [{"a": a, "kind": label(ALERT_KIND, a.kind)} for a in open_alerts(found, now)],
    }
    return render(request, "web/hall/region_hall.html", ctx)
