"""Selector results shaped for the templates (percentages, charts, links), no queries here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guifan.apps.norms.selectors import Row
from guifan.apps.web.quality.charts import Chart, sparkline, trend_chart
from guifan.apps.web.quality.forms import LedgerFilterForm
from guifan.norms import Norm, NormSet
from guifan.norms.stats import DayPoint, Tally, percent, tally_sum

MODE: dict[str, Promise] = {
    "enforced": _("Enforced"),
    "measured": _("Measured"),
    "assisted": _("Assisted"),
}


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    label: str
    mode: str
    tally: Tally
    rate: str
    spark: Chart
    url: str


@dataclass(frozen=True, slots=True)
class DayLine:
    day: str
    tally: Tally
    rate: str


@dataclass(frozen=True, slots=True)
class Trend:
    chart: Chart
    days: tuple[DayLine, ...]
    total: Tally
    rate: str


def mode_label(mode: str) -> str:
    found = MODE.get(mode)
    return str(found) if found is not None else mode


def table(rows: Sequence[Row], *, link_query: str | None = None) -> list[Line]:
    """Table lines; with ``link_query`` each key links to its norm's drill-down."""
    lines = []
    for r in rows:
        url = ""
        if link_query is not None:
            url = reverse("quality:norm", args=[r.key])
            url += f"?{link_query}" if link_query else ""
        lines.append(
            Line(
                r.key,
                r.label,
                mode_label(r.mode),
                r.tally,
                percent(r.tally.rate),
                sparkline(r.series),
                url,
            )
        )
    return lines


def trend(series: Sequence[DayPoint]) -> Trend:
    days = tuple(DayLine(f"{p.day:%Y-%m-%d}", p.tally, percent(p.tally.rate)) for p in series)
    total = tally_sum(p.tally for p in series)
    return Trend(trend_chart(series), days, total, percent(total.rate))


def norm_params(norm: Norm, norms: NormSet) -> list[dict[str, Any]]:
    """The norm's parameters with the value in force (edited or the catalog default)."""
    out = []
    for p in norm.params:
        value = norms.param(norm.id, p.name)
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        out.append({"name": p.name, "value": shown, "note": p.note})
    return out


def pages(number: int, num_pages: int, form: LedgerFilterForm) -> dict[str, str]:
    """Links to the previous and next page that keep the filters."""
    links = {}
    if number > 1:
        links["previous"] = "?" + form.query(page=str(number - 1))
    if number < num_pages:
        links["next"] = "?" + form.query(page=str(number + 1))
    return links
