"""Inline SVG geometry for the day charts (no chart library): a trend chart and sparklines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from guifan.norms.stats import DayPoint, percent

WIDTH, HEIGHT = 960, 180
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28
SPARK_W, SPARK_H = 112, 28
MAX_X_LABELS = 8


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    lines: tuple[str, ...]  # polyline "x,y x,y" segments; a day without checks breaks the line
    dots: tuple[Dot, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    plot_left: int
    plot_right: int
    summary: str  # the chart in one sentence, for its <title> / aria-label


def _xs(n: int, left: float, right: float) -> list[float]:
    if n == 1:
        return [(left + right) / 2]
    step = (right - left) / (n - 1)
    return [left + i * step for i in range(n)]


def _segments(points: Sequence[tuple[float, float] | None]) -> tuple[str, ...]:
    segments: list[str] = []
    current: list[str] = []
    for p in [*points, None]:
        if p is None:
            if current:
                segments.append(" ".join(current))
            current = []
        else:
            current.append(f"{p[0]:.1f},{p[1]:.1f}")
    return tuple(segments)


def summary(series: Sequence[DayPoint]) -> str:
    rates = [p.tally.rate for p in series if p.tally.rate is not None]
    if not rates:
        return _("No checks in these %(days)s days.") % {"days": len(series)}
    return _("Compliance over %(days)s days: lowest %(low)s, highest %(high)s, last %(last)s.") % {
        "days": len(series),
        "low": percent(min(rates)),
        "high": percent(max(rates)),
        "last": percent(rates[-1]),
    }


def trend_chart(series: Sequence[DayPoint], *, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """The daily compliance rate (0-100 %) as a line with a dot per day that had checks."""
    bottom = height - BOTTOM
    xs = _xs(len(series), LEFT, width - RIGHT)
    points: list[tuple[float, float] | None] = []
    dots = []
    for x, p in zip(xs, series, strict=True):
        rate = p.tally.rate
        if rate is None:
            points.append(None)
            continue
        y = TOP + (1 - rate) * (bottom - TOP)
        points.append((x, y))
        dots.append(Dot(x, y, f"{p.day:%m-%d} {percent(rate)} ({p.tally.kept}/{p.tally.checked})"))
    y_ticks = tuple(Tick(LEFT - 6, TOP + (1 - v) * (bottom - TOP), f"{v:.0%}") for v in (1, 0.5, 0))
    every = max(1, -(-len(series) // MAX_X_LABELS))
    x_ticks = tuple(
        Tick(x, height - 8, f"{p.day:%m-%d}")
        for i, (x, p) in enumerate(zip(xs, series, strict=True))
        if i % every == 0
    )
    return Chart(
        width,
        height,
        _segments(points),
        tuple(dots),
        y_ticks,
        x_ticks,
        LEFT,
        width - RIGHT,
        summary(series),
    )


def sparkline(series: Sequence[DayPoint]) -> Chart:
    """A small trend line for a table cell (same scale as the trend chart, no axes)."""
    pad = 3
    xs = _xs(len(series), pad, SPARK_W - pad)
    points: list[tuple[float, float] | None] = []
    dots = []
    for x, p in zip(xs, series, strict=True):
        rate = p.tally.rate
        if rate is None:
            points.append(None)
            continue
        y = pad + (1 - rate) * (SPARK_H - 2 * pad)
        points.append((x, y))
        dots.append(Dot(x, y, ""))
    return Chart(
        SPARK_W, SPARK_H, _segments(points), tuple(dots), (), (), 0, SPARK_W, summary(series)
    )


TENTH = Decimal("0.1")


def one_decimal(x: float) -> str:
    """``x`` with one decimal, as the template filter ``floatformat:'1u'`` writes it."""
    return str(Decimal(repr(x)).quantize(TENTH, rounding=ROUND_HALF_UP))


def spark_svg(chart: Chart) -> SafeString:
    """A sparkline as inline SVG, written in Python: the quality page of a city's month has
    hundreds of them, 30 days each, and the template language spent most of its time on
    their dots (ADR 0031). Only the summary is text; the rest are numbers this module wrote."""
    lines = "".join(f'<polyline points="{escape(p)}"/>' for p in chart.lines)
    dots = "".join(
        f'<circle cx="{one_decimal(d.x)}" cy="{one_decimal(d.y)}" r="1.8"/>' for d in chart.dots
    )
    w, h = int(chart.width), int(chart.height)
    # Numbers, and the summary and points escaped: nothing else reaches the markup.
    return mark_safe(
        f'<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{escape(chart.summary)}" focusable="false">{lines}{dots}</svg>'
    )
